/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a demo product photo and logo: `make-demo-assets DIR` (used for docs/screenshots). */
#include "config.h"

#include <glib.h>

#include "demo-assets.h"

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      g_printerr ("usage: make-demo-assets DIR\n");
      return 2;
    }
  if (!admint_demo_assets_write (argv[1]))
    {
      g_printerr ("make-demo-assets: cannot write into %s\n", argv[1]);
      return 1;
    }
  g_print ("%s/product.png\n%s/logo.png\n", argv[1], argv[1]);
  return 0;
}

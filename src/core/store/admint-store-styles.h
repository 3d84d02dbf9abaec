/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Brand styles: a name, a palette, the default framework, voice and music of new ads. */
#pragma once

#include <gio/gio.h>

#include "admint-store.h"

G_BEGIN_DECLS

#define ADMINT_STYLE_MAX_COLOURS 8

typedef struct
{
  gint64    id;              /* 0: not stored yet */
  char     *name;
  GStrv     palette;         /* "#rrggbb", at most ADMINT_STYLE_MAX_COLOURS; may be empty */
  char     *framework;       /* NULL: the config's stages.story.framework */
  char     *voice;           /* NULL: the config's providers.voice.voice */
  gint64    logo_asset_id;   /* 0: none */
  gint64    music_asset_id;  /* 0: none */
  gboolean  is_default;      /* the style new ads use when none is chosen */
} AdmintBrandStyle;

AdmintBrandStyle *admint_brand_style_new  (const char             *name);
AdmintBrandStyle *admint_brand_style_copy (const AdmintBrandStyle *style);
void              admint_brand_style_free (AdmintBrandStyle       *style);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdmintBrandStyle, admint_brand_style_free)

/* ADMINT_ERROR_INVALID_INPUT naming the problem: an empty or over-long name, a colour that is
 * not "#rrggbb", too many colours. */
gboolean admint_brand_style_check (const AdmintBrandStyle  *style,
                                   GError                 **error);
/* "#RRGGBB" lowercased into "#rrggbb"; NULL when TEXT is not a colour. */
char    *admint_style_normalize_colour (const char *text);
/* The colours of a comma-separated list ("#112233, #445566"); ADMINT_ERROR_INVALID_INPUT
 * naming the first bad one. "" is an empty list. */
GStrv    admint_style_parse_palette    (const char  *text,
                                        GError     **error);
/* Up to N colours of the logo at PATH, most used and most colourful first. */
GStrv    admint_style_palette_from_logo (const char  *path,
                                         guint        n,
                                         GError     **error);

/* These block on their own connection: call them from a worker, or use the _async ones. */
GPtrArray        *admint_store_list_styles  (AdmintStore             *self,
                                             GError                 **error);
/* NAME NULL: the default style; NULL with no error when there is none. An unknown NAME is
 * ADMINT_ERROR_NOT_FOUND listing the styles there are. */
AdmintBrandStyle *admint_store_get_style    (AdmintStore             *self,
                                             const char              *name,
                                             GError                 **error);
/* Inserts (id 0) or updates the style; a default style makes every other one not default.
 * Returns its id, 0 with ERROR set (a duplicate name is ADMINT_ERROR_INVALID_INPUT). */
gint64            admint_store_save_style   (AdmintStore             *self,
                                             const AdmintBrandStyle  *style,
                                             GError                 **error);
gboolean          admint_store_delete_style (AdmintStore             *self,
                                             gint64                   id,
                                             GError                 **error);

/* The list (GPtrArray of AdmintBrandStyle) in a worker. */
void       admint_store_list_styles_async  (AdmintStore            *self,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
GPtrArray *admint_store_list_styles_finish (AdmintStore            *self,
                                            GAsyncResult           *result,
                                            GError                **error);
/* Saves STYLE in a worker; with EXTRACT_FROM_LOGO and a logo asset, its palette is first
 * taken from the logo's pixels. The result is the stored style. */
void              admint_store_save_style_async  (AdmintStore             *self,
                                                  const AdmintBrandStyle  *style,
                                                  gboolean                 extract_from_logo,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
AdmintBrandStyle *admint_store_save_style_finish (AdmintStore             *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void              admint_store_delete_style_async  (AdmintStore          *self,
                                                    gint64                id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          admint_store_delete_style_finish (AdmintStore          *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of captions: cues of at most two short lines, laid out inside the title-safe area and
 * clear of the scene's own text at 16:9, 9:16 and 1:1, drawn only where laid out, and SubRip and
 * WebVTT files that parse back to the same cues. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "admint-captions.h"
#include "admint-error.h"
#include "admint-layout.h"
#include "admint-render.h"
#include "admint-scene.h"
#include "admint-test-util.h"
#include "audio-test-util.h"

static const char * const words[] = {
  "Meet", "Aqua,", "the", "bottle", "that", "keeps", "your", "water", "ice", "cold", "for",
  "twenty-four", "hours.", "Refill", "it", "anywhere", "&", "leave", "<plastic>", "behind.", NULL
};

static AdmintCaptions *
make_captions (const AdmintBox *avoid)
{
  g_autoptr(AdmintSpeech) speech = audio_test_speech (words, 0.3, 0.05);
  AdmintCaptions *captions = admint_captions_new ();

  admint_captions_add_speech (captions, speech, 2.0, 12.0, avoid);
  return captions;
}

static void
test_cues (void)
{
  g_autoptr(AdmintCaptions) captions = make_captions (NULL);
  guint n = admint_captions_get_n_cues (captions), w = 0;
  double last_end = 0;

  g_assert_cmpuint (n, >=, 3);
  for (guint i = 0; i < n; i++)
    {
      const AdmintCaptionCue *cue = admint_captions_get_cue (captions, i);

      g_assert_cmpfloat (cue->start, >=, last_end - 1e-9);
      g_assert_cmpfloat (cue->end, >, cue->start);
      for (guint l = 0; l < 2 && cue->lines[l] != NULL; l++)
        g_assert_cmpuint (g_utf8_strlen (cue->lines[l], -1), <=, ADMINT_CAPTIONS_LINE_CHARS);
      /* Every word once, in order; each cue holds the times of its words. */
      for (guint k = 0; k < cue->words->len; k++, w++)
        {
          const AdmintWord *word = &g_array_index (cue->words, AdmintWord, k);
          g_assert_cmpstr (word->text, ==, words[w]);
          g_assert_cmpfloat (word->start, >=, cue->start);
          g_assert_cmpfloat (word->end, <=, cue->end);
        }
      last_end = cue->end;
    }
  g_assert_null (words[w]);
  /* A sentence ends a line: "hours." is the last word of one. */
  {
    gboolean found = FALSE;

    for (guint i = 0; i < n; i++)
      for (guint l = 0; l < 2; l++)
        {
          const char *line = admint_captions_get_cue (captions, i)->lines[l];
          found |= line != NULL && g_str_has_suffix (line, "hours.");
        }
    g_assert_true (found);
  }
  g_assert_cmpint (admint_captions_cue_at (captions, 2.0), ==, -1);
  g_assert_cmpint (admint_captions_cue_at (captions, 2.15), ==, 0);
}

static const int sizes[][2] = { { 1920, 1080 }, { 1080, 1920 }, { 1080, 1080 } };
/* The on-screen text where layouts put it: a lower third, a headline at the top, a block in the
 * middle, and a big title over the lower two thirds. */
static const AdmintBox boxes[] = {
  { 0, 0, 0, 0 },
  { 0.08, 0.72, 0.84, 0.18 },
  { 0.05, 0.05, 0.9, 0.2 },
  { 0.2, 0.4, 0.6, 0.2 },
  { 0.1, 0.35, 0.8, 0.6 },
};

static void
assert_layouts (AdmintCaptions  *captions,
                const AdmintBox *avoid,
                int              width,
                int              height)
{
  AdmintBox safe = { width * 0.05, height * 0.05, width * 0.9, height * 0.9 };
  AdmintBox text = { avoid->x * width, avoid->y * height, avoid->width * width,
                     avoid->height * height };

  for (guint i = 0; i < admint_captions_get_n_cues (captions); i++)
    {
      AdmintBox box;
      double font_px;
      gboolean clear = admint_captions_layout (captions, i, width, height, &box, &font_px);

      g_assert_true (clear);
      g_assert_cmpfloat (box.x, >=, safe.x - 0.5);
      g_assert_cmpfloat (box.y, >=, safe.y - 0.5);
      g_assert_cmpfloat (box.x + box.width, <=, safe.x + safe.width + 0.5);
      g_assert_cmpfloat (box.y + box.height, <=, safe.y + safe.height + 0.5);
      g_assert_false (admint_box_intersects (&box, &text));
      /* Readable: at least 2.5 % of the shorter side. */
      g_assert_cmpfloat (font_px, >=, MIN (width, height) * 0.025);
    }
}

static void
test_layout (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
      {
        g_autoptr(AdmintCaptions) captions = make_captions (&boxes[b]);

        g_test_message ("%d×%d, box %u", sizes[s][0], sizes[s][1], b);
        assert_layouts (captions, &boxes[b], sizes[s][0], sizes[s][1]);
      }
}

static void
test_layout_no_room (void)
{
  AdmintBox everything = { 0, 0, 1, 1 };
  g_autoptr(AdmintCaptions) captions = make_captions (&everything);
  AdmintBox box;

  /* Documented: no place avoids a full-frame box; the caption keeps its usual place. */
  g_assert_false (admint_captions_layout (captions, 0, 1920, 1080, &box, NULL));
  g_assert_cmpfloat (box.y + box.height, <=, 1080 * 0.95 + 0.5);
}

/* Draws the caption at T onto a transparent frame; returns the bounding box of what was drawn
 * and counts highlight-coloured pixels. */
static guint
draw_at (AdmintCaptions *captions,
         int             width,
         int             height,
         double          t,
         AdmintBox      *drawn,
         guint          *yellow)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  guint painted = 0;
  int x0 = width, y0 = height, x1 = -1, y1 = -1;
  const guint8 *data;
  int stride;

  admint_captions_draw (captions, cr, width, height, t);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  *yellow = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + 4 * x);
        guint a = px >> 24, r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        if (a == 0)
          continue;
        painted++;
        x0 = MIN (x0, x);
        y0 = MIN (y0, y);
        x1 = MAX (x1, x);
        y1 = MAX (y1, y);
        if (r > 200 && g > 160 && b < 80)
          (*yellow)++;
      }
  drawn->x = x0;
  drawn->y = y0;
  drawn->width = x1 - x0 + 1;
  drawn->height = y1 - y0 + 1;
  cairo_surface_destroy (surface);
  return painted;
}

static void
test_draw (void)
{
  g_autoptr(AdmintCaptions) captions = make_captions (&boxes[1]);
  const AdmintCaptionCue *cue = admint_captions_get_cue (captions, 0);
  const AdmintWord *second = &g_array_index (cue->words, AdmintWord, 1);
  AdmintBox box, drawn, text = { boxes[1].x * 640, boxes[1].y * 360, boxes[1].width * 640,
                                 boxes[1].height * 360 };
  guint yellow;

  g_assert_true (admint_captions_layout (captions, 0, 640, 360, &box, NULL));
  g_assert_cmpuint (draw_at (captions, 640, 360, (second->start + second->end) / 2, &drawn,
                             &yellow), >, 1000);
  /* Only inside the laid-out box, which is clear of the scene's text. */
  g_assert_cmpfloat (drawn.x, >=, floor (box.x));
  g_assert_cmpfloat (drawn.y, >=, floor (box.y));
  g_assert_cmpfloat (drawn.x + drawn.width, <=, ceil (box.x + box.width) + 1);
  g_assert_cmpfloat (drawn.y + drawn.height, <=, ceil (box.y + box.height) + 1);
  g_assert_false (admint_box_intersects (&drawn, &text));
  /* The word being said is highlighted. */
  g_assert_cmpuint (yellow, >, 20);
  /* Before the first word: nothing at all. */
  g_assert_cmpuint (draw_at (captions, 640, 360, 1.0, &drawn, &yellow), ==, 0);
}

static void
assert_files_match (AdmintCaptions *captions,
                    const char     *text,
                    gboolean        vtt)
{
  g_autoptr(GArray) cues = audio_test_parse_cues (text, vtt);

  g_assert_cmpuint (cues->len, ==, admint_captions_get_n_cues (captions));
  for (guint i = 0; i < cues->len; i++)
    {
      const AudioTestCue *parsed = &g_array_index (cues, AudioTestCue, i);
      const AdmintCaptionCue *cue = admint_captions_get_cue (captions, i);
      g_autofree char *lines = cue->lines[1] ? g_strjoin ("\n", cue->lines[0], cue->lines[1], NULL)
                                             : g_strdup (cue->lines[0]);

      g_assert_cmpfloat (fabs (parsed->start - cue->start), <=, 0.0005);
      g_assert_cmpfloat (fabs (parsed->end - cue->end), <=, 0.0005);
      g_assert_cmpstr (parsed->text, ==, lines);
      /* What is burned at a cue's middle is that cue. */
      g_assert_cmpint (admint_captions_cue_at (captions, (parsed->start + parsed->end) / 2), ==,
                       (int) i);
    }
}

static void
test_srt_vtt (void)
{
  g_autoptr(AdmintCaptions) captions = make_captions (NULL);
  g_autofree char *srt_path = g_build_filename (admint_test_get_root (), "ad.srt", NULL);
  g_autofree char *vtt_path = g_build_filename (admint_test_get_root (), "ad.vtt", NULL);
  g_autofree char *bad_path = g_build_filename (admint_test_get_root (), "ad.txt", NULL);
  g_autofree char *srt = NULL;
  g_autofree char *vtt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (admint_captions_write (captions, srt_path, &error));
  g_assert_true (admint_captions_write (captions, vtt_path, &error));
  g_assert_true (g_file_get_contents (srt_path, &srt, NULL, NULL));
  g_assert_true (g_file_get_contents (vtt_path, &vtt, NULL, NULL));
  g_assert_true (g_str_has_prefix (srt, "1\n00:00:02,100 --> "));
  g_assert_true (g_str_has_prefix (vtt, "WEBVTT\n\n1\n00:00:02.100 --> "));
  g_assert_nonnull (strstr (vtt, "&lt;plastic&gt;"));
  assert_files_match (captions, srt, FALSE);
  assert_files_match (captions, vtt, TRUE);

  g_assert_false (admint_captions_write (captions, bad_path, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

/* A job for LAYOUT with every kind of text a layout may show. */
static AdmintRenderJob *
full_job (const char   *layout,
          AdmintAspect  aspect)
{
  AdmintRenderJob *job = admint_render_job_new ();
  char *lines[] = { (char *) "Keeps water cold for 24 hours",
                    (char *) "Leak-proof lid that survives every trail", NULL };
  char *palette[] = { (char *) "#0b3d5c", (char *) "#f2a900", NULL };

  job->layout = g_strdup (layout);
  job->aspect = aspect;
  job->size = ADMINT_RENDER_SIZE_720P;
  job->duration = 6;
  job->fps = 30;
  job->palette = g_strdupv (palette);
  job->text = g_strdup ("Cold water, all day long");
  job->lines = g_strdupv (lines);
  job->figure = g_strdup ("24 h");
  job->cta = g_strdup ("Order yours today");
  job->handle = g_strdup ("aquapeak.com");
  job->description = g_strdup ("a sunrise over the mountains");
  return job;
}

/* The scene's text boxes as the renderer lays them out, in [0, 1]. */
static GArray *
scene_boxes (const AdmintRenderJob *job,
             int                   *width,
             int                   *height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdmintScene) scene = admint_scene_new (job, &error);
  g_autoptr(GArray) text = NULL;
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (AdmintBox));

  g_assert_no_error (error);
  admint_render_job_get_frame_size (job, width, height);
  text = admint_scene_get_text_boxes (scene);
  for (guint i = 0; i < text->len; i++)
    {
      const AdmintTextBox *t = &g_array_index (text, AdmintTextBox, i);
      AdmintBox b = { t->x / *width, t->y / *height, t->width / *width, t->height / *height };

      g_array_append_val (boxes, b);
    }
  return boxes;
}

/* Every layout the renderer has, at 16:9, 9:16 and 1:1, with all its texts: the captions stay
 * in the title-safe area and meet none of the boxes the layout engine really drew (where any
 * place is free: a layout whose texts leave no room is counted and reported). */
static void
test_layout_renderer_boxes (void)
{
  static const AdmintAspect aspects[] = { ADMINT_ASPECT_16_9, ADMINT_ASPECT_9_16,
                                          ADMINT_ASPECT_1_1 };
  AdmintLayoutSet *set = admint_layout_set_get_default ();
  guint n_clear = 0, n_cues = 0;

  g_assert_cmpuint (admint_layout_set_get_n (set), >=, 1);
  for (guint l = 0; l < admint_layout_set_get_n (set); l++)
    for (guint a = 0; a < G_N_ELEMENTS (aspects); a++)
      {
        const AdmintLayout *layout = admint_layout_set_get (set, l);
        g_autoptr(AdmintRenderJob) job = full_job (layout->name, aspects[a]);
        g_autoptr(AdmintSpeech) speech = audio_test_speech (words, 0.3, 0.05);
        g_autoptr(AdmintCaptions) captions = admint_captions_new ();
        g_autoptr(GArray) boxes = NULL;
        int width, height;

        boxes = scene_boxes (job, &width, &height);
        admint_captions_add_speech_avoiding (captions, speech, 0, 6, (AdmintBox *) boxes->data,
                                             boxes->len);
        for (guint i = 0; i < admint_captions_get_n_cues (captions); i++)
          {
            AdmintBox box;
            double font_px;
            gboolean clear = admint_captions_layout (captions, i, width, height, &box, &font_px);

            n_cues++;
            g_assert_cmpfloat (box.x, >=, width * 0.05 - 0.5);
            g_assert_cmpfloat (box.y, >=, height * 0.05 - 0.5);
            g_assert_cmpfloat (box.x + box.width, <=, width * 0.95 + 0.5);
            g_assert_cmpfloat (box.y + box.height, <=, height * 0.95 + 0.5);
            if (!clear)
              {
                g_test_message ("%s at %d×%d: no free place for cue %u (%u text boxes)",
                                layout->name, width, height, i, boxes->len);
                continue;
              }
            n_clear++;
            for (guint b = 0; b < boxes->len; b++)
              {
                const AdmintBox *t = &g_array_index (boxes, AdmintBox, b);
                AdmintBox px = { t->x * width, t->y * height, t->width * width,
                                 t->height * height };

                g_assert_false (admint_box_intersects (&box, &px));
              }
          }
      }
  g_test_message ("%u of %u cues clear of every text box", n_clear, n_cues);
  g_assert_cmpuint (n_cues, >, 0);
  g_assert_cmpuint (n_clear * 10, >=, n_cues * 9);
}

/* The renderer writes those boxes beside the clip, for the sound stage to read. */
static void
test_rendered_boxes_file (void)
{
  g_autoptr(AdmintRenderJob) job = full_job ("hook", ADMINT_ASPECT_9_16);
  g_autofree char *clip = g_build_filename (admint_test_get_root (), "boxes.mp4", NULL);
  g_autofree char *path = admint_render_text_boxes_path (clip);
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *list;
  int width, height;

  job->size = ADMINT_RENDER_SIZE_360P;
  job->duration = 0.5;
  job->fps = 10;
  boxes = scene_boxes (job, &width, &height);
  g_assert_true (admint_render_clip (job, clip, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "boxes");
  g_assert_cmpuint (json_array_get_length (list), ==, boxes->len);
  g_assert_cmpuint (boxes->len, >, 0);
  for (guint i = 0; i < boxes->len; i++)
    {
      JsonObject *b = json_array_get_object_element (list, i);
      const AdmintBox *want = &g_array_index (boxes, AdmintBox, i);

      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "x"), want->x, 1e-4);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "y"), want->y, 1e-4);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "width"), want->width,
                                      1e-4);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "height"),
                                      want->height, 1e-4);
    }
}

/* The cues of a span as JSON (for the renderer) come back as the same cues, moved into the
 * span's own time, and are laid out clear of the boxes they are given. */
static void
test_json (void)
{
  g_autoptr(AdmintCaptions) captions = make_captions (NULL);
  g_autoptr(JsonNode) node = admint_captions_to_json (captions, 4.0, 8.0);
  g_autoptr(JsonNode) none = admint_captions_to_json (captions, 0, 1.0);
  g_autoptr(AdmintCaptions) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad = json_from_string ("[{\"words\": 3}]", NULL);
  const AdmintBox low = { 0.05, 0.6, 0.9, 0.35 };
  guint n = 0;

  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  back = admint_captions_new_from_json (node, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < admint_captions_get_n_cues (captions); i++)
    {
      const AdmintCaptionCue *cue = admint_captions_get_cue (captions, i);
      const AdmintCaptionCue *got;

      if (cue->end <= 4.0 || cue->start >= 8.0)
        continue;
      g_assert_cmpuint (n, <, admint_captions_get_n_cues (back));
      got = admint_captions_get_cue (back, n++);
      g_assert_cmpfloat (fabs (got->start - (cue->start - 4.0)), <=, 0.0005);
      g_assert_cmpfloat (fabs (got->end - (cue->end - 4.0)), <=, 0.0005);
      g_assert_cmpstr (got->lines[0], ==, cue->lines[0]);
      g_assert_cmpstr (got->lines[1], ==, cue->lines[1]);
      g_assert_cmpuint (got->words->len, ==, cue->words->len);
      g_assert_cmpuint (got->split, ==, cue->split);
      for (guint k = 0; k < cue->words->len; k++)
        g_assert_cmpfloat (fabs (g_array_index (got->words, AdmintWord, k).start -
                                 (g_array_index (cue->words, AdmintWord, k).start - 4.0)), <=,
                           0.0005);
    }
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (n, ==, admint_captions_get_n_cues (back));

  /* Placed clear of what they are told to avoid: above a low box. */
  admint_captions_set_avoid (back, &low, 1);
  for (guint i = 0; i < n; i++)
    {
      AdmintBox box, px = { low.x * 1280, low.y * 720, low.width * 1280, low.height * 720 };

      g_assert_true (admint_captions_layout (back, i, 1280, 720, &box, NULL));
      g_assert_false (admint_box_intersects (&box, &px));
    }

  g_assert_null (admint_captions_new_from_json (bad, &error));
  g_assert_error (error, ADMINT_ERROR, ADMINT_ERROR_INVALID_INPUT);
}

/* The mean RGB of BOX in frame INDEX of PATH. */
static void
frame_mean (const char      *path,
            guint            index,
            const AdmintBox *box,
            double           rgb[3])
{
  g_autofree char *uri = gst_filename_to_uri (path, NULL);
  g_autofree char *desc = g_strdup_printf ("uridecodebin uri=\"%s\" caps=video/x-raw ! "
                                           "videoconvert ! video/x-raw,format=RGB ! "
                                           "appsink name=sink sync=false", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i <= index; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
      GstVideoInfo vinfo;
      GstVideoFrame frame;
      double sum[3] = { 0 };
      guint n = 0;

      g_assert_nonnull (sample);
      if (i < index)
        continue;
      gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample));
      g_assert_true (gst_video_frame_map (&frame, &vinfo, gst_sample_get_buffer (sample),
                                          GST_MAP_READ));
      for (int y = (int) box->y; y < (int) (box->y + box->height); y++)
        for (int x = (int) box->x; x < (int) (box->x + box->width); x++)
          {
            const guint8 *p = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                              y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) + 3 * x;
            for (guint c = 0; c < 3; c++)
              sum[c] += p[c];
            n++;
          }
      gst_video_frame_unmap (&frame);
      for (guint c = 0; c < 3; c++)
        rgb[c] = sum[c] / MAX (n, 1);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* The local renderer draws the captions it is given into the clip, where the captions'
 * layout puts them clear of its texts, only while a cue shows, and says so beside the clip. */
static void
test_drawn_in_clip (void)
{
  static const char * const said[] = { "Meet", "Aqua.", NULL };
  g_autoptr(AdmintRenderJob) job = full_job ("hook", ADMINT_ASPECT_16_9);
  g_autoptr(AdmintRenderJob) plain = NULL;
  g_autoptr(AdmintSpeech) speech = audio_test_speech (said, 0.2, 0.05);
  g_autoptr(AdmintCaptions) captions = admint_captions_new ();
  g_autoptr(AdmintCaptions) placed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *with = g_build_filename (admint_test_get_root (), "captioned.mp4", NULL);
  g_autofree char *without = g_build_filename (admint_test_get_root (), "plain.mp4", NULL);
  g_autofree char *boxes_path = admint_render_text_boxes_path (with);
  g_autofree char *plain_boxes = admint_render_text_boxes_path (without);
  g_autofree char *echoed = NULL;
  JsonObject *root;
  AdmintBox box;
  double a[3], b[3];
  int width, height;

  job->size = ADMINT_RENDER_SIZE_360P;
  job->duration = 1.0;
  job->fps = 10;
  /* Spoken from 0.5 s in the clip: one cue, 0.5 s to the clip's end. */
  admint_captions_add_speech (captions, speech, 0.5, 1.0, NULL);
  node = admint_captions_to_json (captions, 0, 1.0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  plain = admint_render_job_copy (job);
  job->captions = json_to_string (node, FALSE);
  g_assert_true (admint_render_clip (job, with, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (admint_render_clip (plain, without, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Where the captions go: clear of the texts the layout drew. */
  boxes = scene_boxes (job, &width, &height);
  placed = admint_captions_new_from_json (node, &error);
  g_assert_no_error (error);
  admint_captions_set_avoid (placed, (AdmintBox *) boxes->data, boxes->len);
  g_assert_true (admint_captions_layout (placed, 0, width, height, &box, NULL));
  for (guint i = 0; i < boxes->len; i++)
    {
      const AdmintBox *t = &g_array_index (boxes, AdmintBox, i);
      AdmintBox px = { t->x * width, t->y * height, t->width * width, t->height * height };
      g_assert_false (admint_box_intersects (&box, &px));
    }
  /* Before the cue the frames are the same; while it shows, its box is darker (the plate). */
  frame_mean (with, 2, &box, a);
  frame_mean (without, 2, &box, b);
  for (guint c = 0; c < 3; c++)
    g_assert_cmpfloat (fabs (a[c] - b[c]), <, 2);
  frame_mean (with, 7, &box, a);
  frame_mean (without, 7, &box, b);
  g_test_message ("caption box at frame 7: %.0f %.0f %.0f with, %.0f %.0f %.0f without",
                  a[0], a[1], a[2], b[0], b[1], b[2]);
  g_assert_cmpfloat (fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]), >, 20);

  /* Beside the clip: the cues it drew, as given; none beside the plain one. */
  g_assert_true (json_parser_load_from_file (parser, boxes_path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "captions"));
  echoed = json_to_string (json_object_get_member (root, "captions"), FALSE);
  g_assert_cmpstr (echoed, ==, job->captions);
  g_assert_true (json_parser_load_from_file (parser, plain_boxes, &error));
  g_assert_false (json_object_has_member (json_node_get_object (json_parser_get_root (parser)),
                                          "captions"));
}

int
main (int    argc,
      char **argv)
{
  admint_test_init (&argc, &argv);

  g_test_add_func ("/captions/cues", test_cues);
  g_test_add_func ("/captions/layout", test_layout);
  g_test_add_func ("/captions/layout-no-room", test_layout_no_room);
  g_test_add_func ("/captions/layout-renderer-boxes", test_layout_renderer_boxes);
  g_test_add_func ("/captions/rendered-boxes-file", test_rendered_boxes_file);
  g_test_add_func ("/captions/draw", test_draw);
  g_test_add_func ("/captions/srt-vtt", test_srt_vtt);
  g_test_add_func ("/captions/json", test_json);
  g_test_add_func ("/captions/drawn-in-clip", test_drawn_in_clip);
  return g_test_run ();
}

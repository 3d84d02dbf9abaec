#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Contact sheet of a video: one frame a second, tiled in a grid, written as a PNG.
#
# Needs only GStreamer and GdkPixbuf through PyGObject (python3-gi, gir1.2-gst-plugins-base-1.0,
# gir1.2-gdkpixbuf-2.0 on Debian 12), no ffmpeg or ImageMagick.
#
#   build-aux/contact-sheet.py VIDEO OUTPUT.png [--columns N] [--width W]

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, Gst  # noqa: E402


def frames_each_second(path, thumb_width):
    """Yields (second, GdkPixbuf) for the frame at or after each whole second."""
    pipeline = Gst.parse_launch(
        "filesrc name=src ! decodebin ! videoconvert ! videoscale ! "
        "video/x-raw,format=RGB,pixel-aspect-ratio=1/1 ! "
        "appsink name=sink sync=false max-buffers=4")
    pipeline.get_by_name("src").set_property("location", path)
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    next_second = 0
    try:
        while True:
            sample = sink.emit("pull-sample")
            if sample is None:
                break
            buf = sample.get_buffer()
            if buf.pts == Gst.CLOCK_TIME_NONE or buf.pts < next_second * Gst.SECOND:
                continue
            caps = sample.get_caps().get_structure(0)
            width, height = caps.get_value("width"), caps.get_value("height")
            ok, info = buf.map(Gst.MapFlags.READ)
            if not ok:
                continue
            stride = (width * 3 + 3) & ~3
            data = bytes(info.data)
            buf.unmap(info)
            pixbuf = GdkPixbuf.Pixbuf.new_from_data(
                data, GdkPixbuf.Colorspace.RGB, False, 8, width, height, stride)
            thumb_height = max(1, round(thumb_width * height / width))
            yield next_second, pixbuf.scale_simple(
                thumb_width, thumb_height, GdkPixbuf.InterpType.BILINEAR)
            next_second = buf.pts // Gst.SECOND + 1
    finally:
        pipeline.set_state(Gst.State.NULL)


def main():
    parser = argparse.ArgumentParser(description="One frame a second of VIDEO, tiled into a PNG.")
    parser.add_argument("video")
    parser.add_argument("output")
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--width", type=int, default=240, help="width of one frame, pixels")
    args = parser.parse_args()
    Gst.init(None)
    thumbs = list(frames_each_second(args.video, args.width))
    if not thumbs:
        print(f"contact-sheet: no video frames in {args.video}", file=sys.stderr)
        return 1
    gap = 4
    tw, th = thumbs[0][1].get_width(), thumbs[0][1].get_height()
    cols = min(args.columns, len(thumbs))
    rows = (len(thumbs) + cols - 1) // cols
    sheet = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8,
                                 cols * (tw + gap) + gap, rows * (th + gap) + gap)
    sheet.fill(0x202020ff)
    for i, (_, thumb) in enumerate(thumbs):
        x = gap + (i % cols) * (tw + gap)
        y = gap + (i // cols) * (th + gap)
        thumb.copy_area(0, 0, min(tw, thumb.get_width()), min(th, thumb.get_height()), sheet, x, y)
    sheet.savev(args.output, "png", [], [])
    print(f"{args.output}: {len(thumbs)} frames, {cols}x{rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

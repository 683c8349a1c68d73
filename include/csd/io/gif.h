#pragma once
/// Animated GIFs of io::Image frames (csd/io/image.h) through giflib. The only giflib
/// user is src/io/gif.cpp.
///
/// Every frame shares one global palette: kGifViridisLevels samples of io::viridis,
/// then white, black and the non-finite magenta, so a field drawn with paint_field
/// keeps its colours from frame to frame; any other colour is drawn as its nearest
/// palette entry. The animation loops forever.
///
///   io::GifWriter gif("run.gif", image.width, image.height);
///   gif.add_frame(image);  // … once per frame
///   gif.finish();          // only now does run.gif appear (or get replaced)
#include <memory>
#include <string>
#include <vector>

#include "csd/io/image.h"

namespace csd::io {

inline constexpr int kGifViridisLevels = 253;

/// The GIF palette (256 colours, see above).
const std::vector<Rgb>& gif_palette();
/// Index of the palette colour nearest to `colour` (squared RGB distance).
int gif_palette_index(Rgb colour);

class GifWriter {
 public:
  /// Starts "<path>.tmp" (io/fs.h temporary_path). Throws csd::Error if it cannot be
  /// created, if `path` is something csd does not replace (io/fs.h require_replaceable),
  /// or on a size outside 1…65535.
  GifWriter(const std::string& path, int width, int height, int delay_centiseconds = 10);
  /// Without finish(): deletes the temporary file; `path` is untouched.
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  /// Appends a frame of the size given to the constructor; throws csd::Error otherwise
  /// or when the write fails.
  void add_frame(const Image& frame);
  /// Closes the file and renames it to `path` (atomic). At least one frame is needed.
  void finish();
  int frames() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace csd::io

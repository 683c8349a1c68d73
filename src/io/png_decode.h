#pragma once
// The one libpng decoder of csd_io: read_png (io/image.h) and the grey micrograph reader
// (src/io/grey_png.cpp) both take its rows and convert them as they need.
#include <cstdio>
#include <string>
#include <vector>

namespace csd::io::detail {

struct DecodedPng {
  int width = 0, height = 0;
  int bits = 0;      ///< 8 or 16 (grey below 8 bits is expanded to 8)
  int channels = 0;  ///< 1 grey, 2 grey + alpha, 3 RGB (also an expanded palette), 4 RGBA
  bool palette = false;       ///< the file stored a palette (expanded to RGB)
  bool transparency = false;  ///< a tRNS chunk: some grey, RGB or palette value is transparent
  std::vector<unsigned char> rows;  ///< row-major samples; 16-bit ones in machine byte order
  std::string error;                ///< libpng's message when decoding failed
};

/// Decodes the PNG in `file` (positioned at its start). False on a damaged file, with
/// libpng's reason in `out->error`. Images above `max_pixels` are not decoded: `rows`
/// stays empty (the caller refuses them by their size).
bool decode_png(std::FILE* file, DecodedPng* out, double max_pixels);

}  // namespace csd::io::detail

#pragma once
// The two decoders behind read_grey_image (csd/io/grey_image.h): one per library, each
// given a file already recognised by its signature.
#include <string>

#include "csd/io/grey_image.h"

namespace csd::io::detail {

GreyImage read_grey_png(const std::string& path);   // src/io/grey_png.cpp (libpng)
GreyImage read_grey_tiff(const std::string& path);  // src/io/grey_tiff.cpp (libtiff)

/// Rec. 709 luma of stored (not linearised) R, G, B in [0, 1].
inline double luminance(double r, double g, double b) {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/// Images above this many pixels are refused before their samples are decoded
/// (2^28 doubles = 2 GiB).
inline constexpr double kMaxGreyPixels = double(1 << 28);

inline constexpr const char* kLuminanceConversion = "RGB → luminance (0.2126 R + 0.7152 G + 0.0722 B)";

}  // namespace csd::io::detail

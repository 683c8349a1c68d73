// Grey PNG reading for csd import (csd/io/grey_image.h) on the shared libpng decoder.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "csd/core/error.h"
#include "grey_formats.h"
#include "png_decode.h"

namespace csd::io::detail {

GreyImage read_grey_png(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error("cannot open PNG '" + path + "': " + std::strerror(errno));
  DecodedPng png;
  const bool decoded = decode_png(file, &png, kMaxGreyPixels);
  std::fclose(file);
  if (!decoded)
    throw Error("'" + path + "' is a damaged PNG file (libpng: " +
                (png.error.empty() ? std::string("out of memory") : png.error) + ")");
  const std::string what = "PNG '" + path + "'";
  require(png.channels != 2 && png.channels != 4 && !png.transparency,
          what + " has an alpha channel (transparency); save it as grey without alpha");
  require(!png.rows.empty(), what + " is larger than 2^28 pixels; crop it first");

  GreyImage image;
  image.width = png.width;
  image.height = png.height;
  image.bits = png.bits;
  const size_t pixels = static_cast<size_t>(png.width) * png.height;
  const double full = png.bits == 16 ? 65535.0 : 255.0;
  const auto sample = [&](size_t i) -> double {
    if (png.bits == 16) {
      std::uint16_t v;
      std::memcpy(&v, png.rows.data() + 2 * i, 2);
      return v / full;
    }
    return png.rows[i] / full;
  };
  image.values.resize(pixels);
  if (png.channels == 1) {
    for (size_t i = 0; i < pixels; ++i) image.values[i] = sample(i);
  } else {
    for (size_t i = 0; i < pixels; ++i)
      image.values[i] = luminance(sample(3 * i), sample(3 * i + 1), sample(3 * i + 2));
    image.conversion = std::string(png.palette ? "palette → RGB → " : "") + kLuminanceConversion;
  }
  return image;
}

}  // namespace csd::io::detail

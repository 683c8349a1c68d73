// Grey PNG decoding for csd import (csd/io/grey_image.h). libpng reports errors by
// longjmp: decode() keeps only trivially destructible locals after setjmp, and the
// buffers it fills belong to its caller, so the jump skips no destructor.
#include <png.h>

#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "grey_formats.h"

namespace csd::io::detail {
namespace {

/// What decode() found; `refusal` is set for a readable PNG that csd does not take.
struct PngLayout {
  int width = 0, height = 0, bits = 0, channels = 0;
  bool palette = false;
  char refusal[160] = {};
  char libpng_error[200] = {};
};

void on_error(png_structp png, png_const_charp message) {
  auto* layout = static_cast<PngLayout*>(png_get_error_ptr(png));
  std::snprintf(layout->libpng_error, sizeof layout->libpng_error, "%s", message);
  png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}  // warnings do not stop a read

/// Samples above this count are refused before any allocation (2 GiB of doubles).
constexpr double kMaxSamples = double(1 << 28);

bool decode(std::FILE* file, PngLayout* layout, std::vector<unsigned char>* raw) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, layout, on_error, on_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_init_io(png, file);
  png_read_info(png, info);
  const int colour = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  const bool alpha = (colour & PNG_COLOR_MASK_ALPHA) != 0 || png_get_valid(png, info, PNG_INFO_tRNS);
  if (alpha) {
    std::snprintf(layout->refusal, sizeof layout->refusal,
                  "has an alpha channel (transparency); save it as grey without alpha");
  } else if (double(png_get_image_width(png, info)) * png_get_image_height(png, info) > kMaxSamples) {
    std::snprintf(layout->refusal, sizeof layout->refusal,
                  "is larger than 2^28 pixels; crop it first");
  }
  if (layout->refusal[0] != 0) {
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
  }
  layout->palette = colour == PNG_COLOR_TYPE_PALETTE;
  if (layout->palette) png_set_palette_to_rgb(png);
  if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (depth == 16) png_set_swap(png);  // PNG stores 16-bit samples big-endian
  png_read_update_info(png, info);
  layout->width = static_cast<int>(png_get_image_width(png, info));
  layout->height = static_cast<int>(png_get_image_height(png, info));
  layout->bits = png_get_bit_depth(png, info);
  layout->channels = png_get_channels(png, info);
  const size_t stride = png_get_rowbytes(png, info);
  raw->resize(stride * layout->height);
  for (int y = 0; y < layout->height; ++y) png_read_row(png, raw->data() + y * stride, nullptr);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

GreyImage read_grey_png(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error("cannot open PNG '" + path + "': " + std::strerror(errno));
  PngLayout layout;
  std::vector<unsigned char> raw;
  const bool decoded = decode(file, &layout, &raw);
  std::fclose(file);
  if (!decoded)
    throw Error("'" + path + "' is a damaged PNG file (libpng: " +
                (layout.libpng_error[0] ? layout.libpng_error : "out of memory") + ")");
  if (layout.refusal[0] != 0) throw Error("PNG '" + path + "' " + layout.refusal);
  require(layout.bits == 8 || layout.bits == 16,
          "PNG '" + path + "' has " + std::to_string(layout.bits) +
              "-bit samples; csd import reads 8- and 16-bit images");

  GreyImage image;
  image.width = layout.width;
  image.height = layout.height;
  image.bits = layout.bits;
  const size_t pixels = static_cast<size_t>(layout.width) * layout.height;
  const double full = layout.bits == 16 ? 65535.0 : 255.0;
  const auto sample = [&](size_t i) -> double {
    if (layout.bits == 16) {
      std::uint16_t v;
      std::memcpy(&v, raw.data() + 2 * i, 2);
      return v / full;
    }
    return raw[i] / full;
  };
  image.values.resize(pixels);
  if (layout.channels == 1) {
    for (size_t i = 0; i < pixels; ++i) image.values[i] = sample(i);
  } else {
    for (size_t i = 0; i < pixels; ++i)
      image.values[i] = luminance(sample(3 * i), sample(3 * i + 1), sample(3 * i + 2));
    image.conversion = std::string(layout.palette ? "palette → RGB → " : "") + kLuminanceConversion;
  }
  return image;
}

}  // namespace csd::io::detail

// libpng reports errors by longjmp: decode_png keeps only trivially destructible locals
// after setjmp, and the buffers it fills belong to its caller, so the jump skips no
// destructor.
#include "png_decode.h"

#include <png.h>

namespace csd::io::detail {
namespace {

void on_error(png_structp png, png_const_charp message) {
  static_cast<DecodedPng*>(png_get_error_ptr(png))->error = message;
  png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}  // warnings do not stop a read

}  // namespace

bool decode_png(std::FILE* file, DecodedPng* out, double max_pixels) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, out, on_error, on_warning);
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
  out->palette = colour == PNG_COLOR_TYPE_PALETTE;
  out->transparency = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  if (out->palette) png_set_palette_to_rgb(png);
  if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (depth == 16) png_set_swap(png);  // PNG stores 16-bit samples big-endian
  png_read_update_info(png, info);
  out->width = static_cast<int>(png_get_image_width(png, info));
  out->height = static_cast<int>(png_get_image_height(png, info));
  out->bits = png_get_bit_depth(png, info);
  out->channels = png_get_channels(png, info);
  if (double(out->width) * out->height <= max_pixels) {
    const size_t stride = png_get_rowbytes(png, info);
    out->rows.resize(stride * out->height);
    for (int y = 0; y < out->height; ++y) png_read_row(png, out->rows.data() + y * stride, nullptr);
    png_read_end(png, nullptr);
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace csd::io::detail

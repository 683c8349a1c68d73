#include "csd/io/image.h"

#include <fmt/format.h>

#include <png.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "csd/core/error.h"
#include "csd/io/fs.h"
#include "png_decode.h"

namespace csd::io {
namespace {

/// matplotlib's viridis sampled at t = i/16 (sRGB, 0–255): published colour values.
constexpr std::array<Rgb, 17> kViridis = {{{68, 1, 84},
                                           {72, 24, 106},
                                           {71, 45, 123},
                                           {66, 64, 134},
                                           {59, 82, 139},
                                           {51, 99, 141},
                                           {44, 114, 142},
                                           {38, 130, 142},
                                           {33, 145, 140},
                                           {31, 160, 136},
                                           {40, 174, 128},
                                           {63, 188, 115},
                                           {94, 201, 98},
                                           {132, 212, 75},
                                           {173, 220, 48},
                                           {216, 226, 25},
                                           {253, 231, 37}}};

unsigned char mix(unsigned char a, unsigned char b, double s) {
  return static_cast<unsigned char>(std::lround(a + s * (b - a)));
}

void require_inside(const Image& image, int x0, int y0, int width, int height, const char* what) {
  require(x0 >= 0 && y0 >= 0 && x0 + width <= image.width && y0 + height <= image.height,
          std::string(what) + " of " + std::to_string(width) + "x" + std::to_string(height) +
              " at (" + std::to_string(x0) + ", " + std::to_string(y0) + ") does not fit in a " +
              std::to_string(image.width) + "x" + std::to_string(image.height) + " image");
}

// ---- 3×5 font: five rows of three bits (bit 2 = left column) ------------------------
struct Glyph {
  char c;
  unsigned char rows[5];
};

constexpr Glyph kFont[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}},
    {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 1, 1}},
    {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}}, {'A', {2, 5, 7, 5, 5}}, {'B', {6, 5, 6, 5, 6}},
    {'C', {3, 4, 4, 4, 3}}, {'D', {6, 5, 5, 5, 6}}, {'E', {7, 4, 6, 4, 7}}, {'F', {7, 4, 6, 4, 4}},
    {'G', {3, 4, 5, 5, 3}}, {'H', {5, 5, 7, 5, 5}}, {'I', {7, 2, 2, 2, 7}}, {'J', {1, 1, 1, 5, 2}},
    {'K', {5, 5, 6, 5, 5}}, {'L', {4, 4, 4, 4, 7}}, {'M', {5, 7, 7, 5, 5}}, {'N', {6, 5, 5, 5, 5}},
    {'O', {2, 5, 5, 5, 2}}, {'P', {6, 5, 6, 4, 4}}, {'Q', {2, 5, 5, 6, 3}}, {'R', {6, 5, 6, 5, 5}},
    {'S', {3, 4, 2, 1, 6}}, {'T', {7, 2, 2, 2, 2}}, {'U', {5, 5, 5, 5, 7}}, {'V', {5, 5, 5, 5, 2}},
    {'W', {5, 5, 7, 7, 5}}, {'X', {5, 5, 2, 5, 5}}, {'Y', {5, 5, 2, 2, 2}}, {'Z', {7, 1, 2, 4, 7}},
    {' ', {0, 0, 0, 0, 0}}, {'.', {0, 0, 0, 0, 2}}, {',', {0, 0, 0, 2, 4}}, {'-', {0, 0, 7, 0, 0}},
    {'+', {0, 2, 7, 2, 0}}, {'=', {0, 7, 0, 7, 0}}, {':', {0, 2, 0, 2, 0}}, {'%', {5, 1, 2, 4, 5}},
    {'(', {1, 2, 2, 2, 1}}, {')', {4, 2, 2, 2, 4}}, {'/', {1, 1, 2, 4, 4}},
};
constexpr Glyph kUnknownGlyph = {'?', {7, 5, 5, 5, 7}};

const Glyph& glyph_for(char c) {
  const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const Glyph& g : kFont)
    if (g.c == upper) return g;
  return kUnknownGlyph;
}

void fill_block(Image& image, int x, int y, int size, Rgb colour) {
  for (int dy = 0; dy < size; ++dy)
    for (int dx = 0; dx < size; ++dx) {
      const int px = x + dx, py = y + dy;
      if (px >= 0 && py >= 0 && px < image.width && py < image.height) image.set(px, py, colour);
    }
}

// ---- libpng ---------------------------------------------------------------------------
// libpng reports errors by longjmp. This function holds only trivially destructible
// locals after setjmp, so the jump skips no destructor. Reading: src/io/png_decode.cpp.

bool encode_png(std::FILE* file, const Image& image) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const size_t stride = static_cast<size_t>(image.width) * 3;
  for (int y = 0; y < image.height; ++y)
    png_write_row(png, const_cast<png_bytep>(image.pixels.data() + y * stride));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

Rgb viridis(double t) {
  if (!(t > 0.0)) return kViridis.front();  // also NaN
  if (t >= 1.0) return kViridis.back();
  const double position = t * (kViridis.size() - 1);
  const size_t i = static_cast<size_t>(position);
  const double s = position - i;
  const Rgb &a = kViridis[i], &b = kViridis[i + 1];
  return {mix(a.r, b.r, s), mix(a.g, b.g, s), mix(a.b, b.b, s)};
}

void paint_field(Image& image, const float* field, int n, int x0, int y0, double vmin, double vmax,
                 int scale) {
  require(n > 0 && scale > 0, "paint_field needs a positive size and scale");
  require(vmax > vmin, "colour range needs vmax > vmin (got [" + fmt::format("{:g}", vmin) + ", " +
                           fmt::format("{:g}", vmax) + "])");
  require_inside(image, x0, y0, n * scale, n * scale, "field");
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const float v = field[static_cast<size_t>(y) * n + x];
      const Rgb c = std::isfinite(v) ? viridis((v - vmin) / (vmax - vmin)) : kNonFiniteColour;
      for (int dy = 0; dy < scale; ++dy)
        for (int dx = 0; dx < scale; ++dx) image.set(x0 + x * scale + dx, y0 + y * scale + dy, c);
    }
  }
}

void paint_colorbar(Image& image, int x0, int y0, int width, int height) {
  require(width > 0 && height > 1, "a colour bar needs width > 0 and height > 1");
  require_inside(image, x0, y0, width, height, "colour bar");
  for (int y = 0; y < height; ++y) {
    const Rgb c = viridis(1.0 - static_cast<double>(y) / (height - 1));
    for (int x = 0; x < width; ++x) image.set(x0 + x, y0 + y, c);
  }
}

int text_width(const std::string& text, int scale) {
  return text.empty() ? 0 : (4 * static_cast<int>(text.size()) - 1) * scale;
}

void draw_text(Image& image, int x, int y, const std::string& text, Rgb colour, int scale) {
  require(scale > 0, "text scale must be positive");
  for (size_t k = 0; k < text.size(); ++k) {
    const Glyph& g = glyph_for(text[k]);
    const int left = x + static_cast<int>(k) * 4 * scale;
    for (int row = 0; row < 5; ++row)
      for (int col = 0; col < 3; ++col)
        if (g.rows[row] & (4 >> col))
          fill_block(image, left + col * scale, y + row * scale, scale, colour);
  }
}

void write_png(const std::string& path, const Image& image) {
  require(image.width > 0 && image.height > 0 &&
              image.pixels.size() == static_cast<size_t>(image.width) * image.height * 3,
          "cannot write '" + path + "': the image is empty or inconsistent");
  require_writable_parent(path);
  const std::string tmp = temporary_path(path);
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (!file)
    throw Error("cannot write PNG '" + path + "': " + std::strerror(errno) +
                "; choose another output path");
  const bool encoded = encode_png(file, image);
  const bool closed = std::fclose(file) == 0;
  if (!encoded || !closed) {
    std::remove(tmp.c_str());
    throw Error("writing PNG '" + path + "' failed (disk full?)");
  }
  atomic_rename(tmp, path);
}

Image read_png(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error("cannot open PNG '" + path + "': " + std::strerror(errno));
  unsigned char signature[8] = {};
  const bool is_png = std::fread(signature, 1, 8, file) == 8 && png_sig_cmp(signature, 0, 8) == 0;
  if (!is_png) {
    std::fclose(file);
    throw Error("'" + path + "' is not a PNG file");
  }
  std::rewind(file);
  detail::DecodedPng png;
  const bool decoded = detail::decode_png(file, &png, double(1 << 28));
  std::fclose(file);
  if (!decoded || png.rows.empty()) throw Error("'" + path + "' is a damaged PNG file");
  // Normalise every format to 8-bit RGB: the high byte of 16-bit samples, alpha dropped.
  Image image(png.width, png.height);
  const int bytes = png.bits / 8;
  const bool grey = png.channels <= 2;
  const size_t pixels = static_cast<size_t>(png.width) * png.height;
  for (size_t i = 0; i < pixels; ++i)
    for (int c = 0; c < 3; ++c) {
      const size_t at = (i * png.channels + (grey ? 0 : c)) * bytes;
      std::uint16_t value = png.rows[at];
      if (bytes == 2) std::memcpy(&value, png.rows.data() + at, 2);
      image.pixels[3 * i + c] = static_cast<unsigned char>(bytes == 2 ? value >> 8 : value);
    }
  return image;
}

void write_field_png(const std::string& path, const float* field, int n, double vmin, double vmax,
                     int scale) {
  Image image(n * scale, n * scale);
  paint_field(image, field, n, 0, 0, vmin, vmax, scale);
  write_png(path, image);
}

}  // namespace csd::io

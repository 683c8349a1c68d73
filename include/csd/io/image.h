#pragma once
/// PNG pictures of fields with a perceptual colormap (viridis), via libpng.
/// libpng is used only in src/io (image.cpp writes, png_decode.cpp reads).
///
///   Image img(2 * n + 8, n);                          // two panels side by side
///   paint_field(img, phi0, n, 0, 0, 0.0, 1.0);
///   paint_field(img, phi1, n, n + 8, 0, 0.0, 1.0);
///   write_png("frames.png", img);
#include <string>
#include <vector>

namespace csd::io {

struct Rgb {
  unsigned char r, g, b;
};

inline bool operator==(const Rgb& a, const Rgb& b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

/// Viridis colour for t in [0, 1] (clamped; NaN gives t = 0). Linear interpolation
/// between 17 samples of matplotlib's viridis at t = i/16 (max deviation 5/255).
Rgb viridis(double t);

/// Colour used for non-finite field values (magenta: absent from viridis).
inline constexpr Rgb kNonFiniteColour{255, 0, 255};

/// An RGB image, row-major, 3 bytes per pixel.
struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> pixels;
  Image(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 3, 255) {}
  Rgb at(int x, int y) const {
    const size_t k = (static_cast<size_t>(y) * width + x) * 3;
    return {pixels[k], pixels[k + 1], pixels[k + 2]};
  }
  void set(int x, int y, Rgb c) {
    const size_t k = (static_cast<size_t>(y) * width + x) * 3;
    pixels[k] = c.r;
    pixels[k + 1] = c.g;
    pixels[k + 2] = c.b;
  }
};

/// Paints an N×N field into `image` at (x0, y0), mapping [vmin, vmax] to the colormap,
/// each field pixel drawn as scale×scale image pixels. Row y of the field is image row
/// y0 + y·scale (top to bottom). Throws csd::Error if the field does not fit or
/// vmax <= vmin.
void paint_field(Image& image, const float* field, int n, int x0, int y0, double vmin, double vmax,
                 int scale = 1);

/// A colour bar: a width×height rectangle at (x0, y0) running through viridis from
/// bottom (t = 0) to top (t = 1).
void paint_colorbar(Image& image, int x0, int y0, int width, int height);

/// Draws `text` with a 3×5-pixel font (each font pixel scale×scale), top-left at (x, y).
/// Glyphs: digits, A–Z (lower case is drawn as upper case), space and . , - + = : % ( ) /.
/// Other characters are drawn as a hollow box. Pixels outside the image are clipped.
void draw_text(Image& image, int x, int y, const std::string& text, Rgb colour, int scale = 1);
/// Width in pixels of `text` drawn by draw_text (4·scale per character, minus the gap).
int text_width(const std::string& text, int scale = 1);

/// Writes the image as 8-bit RGB PNG, atomically (temp file + rename); throws
/// csd::Error if the file cannot be written.
void write_png(const std::string& path, const Image& image);

/// Reads an 8-bit RGB or RGBA (alpha dropped) or grey PNG; throws csd::Error naming the
/// file when it is missing or not a PNG.
Image read_png(const std::string& path);

/// Convenience: one field → PNG, values mapped from [vmin, vmax].
void write_field_png(const std::string& path, const float* field, int n, double vmin = 0.0,
                     double vmax = 1.0, int scale = 1);

}  // namespace csd::io

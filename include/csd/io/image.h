#pragma once
/// PNG pictures of fields with a perceptual colormap (viridis), via libpng.
/// The only libpng user is src/io/image.cpp.
#include <string>
#include <vector>

namespace csd::io {

struct Rgb {
  unsigned char r, g, b;
};

/// Viridis colour for t in [0, 1] (clamped).
Rgb viridis(double t);

/// An RGB image, row-major, 3 bytes per pixel.
struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> pixels;
  Image(int w, int h) : width(w), height(h), pixels(static_cast<size_t>(w) * h * 3, 255) {}
};

/// Paints an N×N field into `image` at (x0, y0), mapping [vmin, vmax] to the colormap,
/// each field pixel drawn as scale×scale image pixels.
void paint_field(Image& image, const float* field, int n, int x0, int y0, double vmin,
                 double vmax, int scale = 1);

/// Writes the image; throws csd::Error if the file cannot be written.
void write_png(const std::string& path, const Image& image);

/// Convenience: one field → PNG, values mapped from [vmin, vmax].
void write_field_png(const std::string& path, const float* field, int n, double vmin = 0.0,
                     double vmax = 1.0, int scale = 1);

}  // namespace csd::io

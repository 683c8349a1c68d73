#pragma once
/// Synthetic micrographs for the import tests, written with libpng and libtiff directly
/// (the test targets link both; tests/CMakeLists.txt), so each test states the exact
/// bit depth, channels and TIFF tags csd import is given.
#include <png.h>
#include <tiffio.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace csd::test {

/// A PNG of width × height pixels with `channels` samples each (1 grey, 2 grey+alpha,
/// 3 RGB, 4 RGBA), `bits` 8 or 16; `samples` row-major, channels interleaved.
inline void write_test_png(const std::string& path, int width, int height, int bits, int channels,
                           const std::vector<std::uint16_t>& samples) {
  const int colour = channels == 1   ? PNG_COLOR_TYPE_GRAY
                     : channels == 2 ? PNG_COLOR_TYPE_GRAY_ALPHA
                     : channels == 3 ? PNG_COLOR_TYPE_RGB
                                     : PNG_COLOR_TYPE_RGB_ALPHA;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) throw std::runtime_error("cannot write " + path);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    throw std::runtime_error("libpng failed on " + path);
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, width, height, bits, colour, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  const int bytes = bits / 8;
  std::vector<unsigned char> row(static_cast<size_t>(width) * channels * bytes);
  for (int y = 0; y < height; ++y) {
    for (int i = 0; i < width * channels; ++i) {
      const std::uint16_t v = samples[static_cast<size_t>(y) * width * channels + i];
      if (bytes == 2) {  // PNG is big-endian
        row[2 * i] = static_cast<unsigned char>(v >> 8);
        row[2 * i + 1] = static_cast<unsigned char>(v & 0xff);
      } else {
        row[i] = static_cast<unsigned char>(v);
      }
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(file);
}

struct TiffLayout {
  int bits = 8;
  int channels = 1;
  int photometric = PHOTOMETRIC_MINISBLACK;
  int sample_format = SAMPLEFORMAT_UINT;
  bool alpha = false;  ///< the last channel is marked as (unassociated) alpha
};

/// A strip TIFF; `samples` are the raw sample bytes row-major in machine order
/// (uint8, uint16 or float32 by `layout`).
inline void write_test_tiff(const std::string& path, int width, int height, const TiffLayout& layout,
                            const void* samples) {
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  if (!tiff) throw std::runtime_error("cannot write " + path);
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, layout.bits);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, layout.channels);
  TIFFSetField(tiff, TIFFTAG_SAMPLEFORMAT, layout.sample_format);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, layout.photometric);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 4);
  if (layout.alpha) {
    const std::uint16_t kinds[1] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, kinds);
  }
  const size_t row_bytes = static_cast<size_t>(width) * layout.channels * layout.bits / 8;
  for (int y = 0; y < height; ++y) {
    auto* row = const_cast<unsigned char*>(static_cast<const unsigned char*>(samples) + y * row_bytes);
    if (TIFFWriteScanline(tiff, row, y, 0) < 0) {
      TIFFClose(tiff);
      throw std::runtime_error("libtiff failed on " + path);
    }
  }
  TIFFClose(tiff);
}

}  // namespace csd::test

// Grey TIFF decoding for csd import (csd/io/grey_image.h) through libtiff. libtiff's
// messages are collected per file (TIFFOpenExt's handlers) instead of printed, so a
// refusal is one line that quotes libtiff's reason.
#include <spdlog/spdlog.h>
#include <tiffio.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "grey_formats.h"

namespace csd::io::detail {
namespace {

int keep_first_error(TIFF*, void* user, const char* module, const char* format, va_list args) {
  auto* message = static_cast<std::string*>(user);
  if (message->empty()) {
    char text[256];
    std::vsnprintf(text, sizeof text, format, args);
    *message = (module ? std::string(module) + ": " : std::string()) + text;
  }
  return 1;
}
int ignore_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffCloser {
  void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};
using TiffHandle = std::unique_ptr<TIFF, TiffCloser>;

template <class T>
T tag_or(TIFF* tiff, ttag_t tag, T fallback) {
  T value = fallback;
  return TIFFGetFieldDefaulted(tiff, tag, &value) == 1 ? value : fallback;
}

}  // namespace

GreyImage read_grey_tiff(const std::string& path) {
  std::string libtiff_error;
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, keep_first_error, &libtiff_error);
  TIFFOpenOptionsSetWarningHandlerExtR(options, ignore_warning, nullptr);
  TiffHandle tiff(TIFFOpenExt(path.c_str(), "r", options));
  TIFFOpenOptionsFree(options);
  const auto damaged = [&] {
    return Error("'" + path + "' is a damaged TIFF file (libtiff: " +
                 (libtiff_error.empty() ? std::string("unreadable") : libtiff_error) + ")");
  };
  if (!tiff) throw damaged();
  const std::string what = "TIFF '" + path + "'";
  // A stack is read as its first page: say so rather than pick one silently.
  if (const tdir_t pages = TIFFNumberOfDirectories(tiff.get()); pages > 1)
    spdlog::warn("{} holds {} pages: csd import reads the first one", what, pages);

  const auto width = tag_or<std::uint32_t>(tiff.get(), TIFFTAG_IMAGEWIDTH, 0);
  const auto height = tag_or<std::uint32_t>(tiff.get(), TIFFTAG_IMAGELENGTH, 0);
  const auto bits = tag_or<std::uint16_t>(tiff.get(), TIFFTAG_BITSPERSAMPLE, 1);
  const auto samples = tag_or<std::uint16_t>(tiff.get(), TIFFTAG_SAMPLESPERPIXEL, 1);
  const auto format = tag_or<std::uint16_t>(tiff.get(), TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  const auto planar = tag_or<std::uint16_t>(tiff.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  const auto photometric = tag_or<std::uint16_t>(tiff.get(), TIFFTAG_PHOTOMETRIC, 0xFFFF);
  std::uint16_t extra_count = 0;
  std::uint16_t* extra_kinds = nullptr;
  TIFFGetFieldDefaulted(tiff.get(), TIFFTAG_EXTRASAMPLES, &extra_count, &extra_kinds);

  if (format == SAMPLEFORMAT_IEEEFP)
    throw Error(what + " holds " + std::to_string(bits) +
                "-bit floating-point samples; csd import reads 8- and 16-bit unsigned integer "
                "images (convert it, e.g. scaled to 16 bits)");
  require(format == SAMPLEFORMAT_UINT, what + " holds signed or complex samples; csd import reads "
                                              "8- and 16-bit unsigned integer images");
  require(extra_count == 0 && (samples == 1 || samples == 3),
          what + " has an alpha or extra channel (" + std::to_string(samples) +
              " samples per pixel); save it as grey without alpha");
  require(bits == 8 || bits == 16, what + " has " + std::to_string(bits) +
                                       "-bit samples; csd import reads 8- and 16-bit images");
  const bool grey = samples == 1 && (photometric == PHOTOMETRIC_MINISBLACK ||
                                     photometric == PHOTOMETRIC_MINISWHITE);
  const bool rgb = samples == 3 && photometric == PHOTOMETRIC_RGB;
  require(grey || rgb, what + " is neither grey nor RGB (photometric " +
                           std::to_string(photometric) + ", e.g. a palette); save it as grey");
  require(!TIFFIsTiled(tiff.get()), what + " is tiled; save it with strips (the default of most "
                                           "tools), e.g. `tiffcp -s IN OUT`");
  require(samples == 1 || planar == PLANARCONFIG_CONTIG,
          what + " stores its colour planes separately; save it as grey");
  require(double(width) * height <= kMaxGreyPixels, what + " is larger than 2^28 pixels; crop it first");
  require(width > 0 && height > 0, what + " has no pixels");

  GreyImage image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.bits = bits;
  image.values.resize(static_cast<size_t>(width) * height);
  std::vector<unsigned char> row(static_cast<size_t>(TIFFScanlineSize(tiff.get())));
  require(row.size() >= static_cast<size_t>(width) * samples * (bits / 8), what + " has a bad row size");
  const double full = bits == 16 ? 65535.0 : 255.0;
  for (std::uint32_t y = 0; y < height; ++y) {
    if (TIFFReadScanline(tiff.get(), row.data(), y, 0) < 0) throw damaged();
    for (std::uint32_t x = 0; x < width; ++x) {
      double v[3];
      for (int c = 0; c < samples; ++c) {
        const size_t i = static_cast<size_t>(x) * samples + c;
        if (bits == 16) {
          std::uint16_t s;  // libtiff returns samples in the machine's byte order
          std::memcpy(&s, row.data() + 2 * i, 2);
          v[c] = s / full;
        } else {
          v[c] = row[i] / full;
        }
      }
      double value = samples == 3 ? luminance(v[0], v[1], v[2]) : v[0];
      if (photometric == PHOTOMETRIC_MINISWHITE) value = 1.0 - value;  // 0 is white there
      image.values[static_cast<size_t>(y) * width + x] = value;
    }
  }
  if (rgb) image.conversion = kLuminanceConversion;
  return image;
}

}  // namespace csd::io::detail

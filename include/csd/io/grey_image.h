#pragma once
/// Grey micrographs read from PNG (libpng) or TIFF (libtiff) files, for `csd import`
/// (csd/pipeline/import_image.h). The format is recognised by the file's first bytes,
/// not its name.
///
/// Accepted: 8- and 16-bit grey (and 1/2/4-bit grey PNG, expanded to 8 bits); RGB
/// without alpha is converted to its luminance Y = 0.2126 R + 0.7152 G + 0.0722 B
/// (Rec. 709 weights on the stored values), a conversion the result names. Refused,
/// each with one sentence naming the file and what to do: alpha channels (grey or
/// colour), floating-point or signed samples, other bit depths, palette or tiled TIFFs,
/// damaged files, missing files, and anything that is neither PNG nor TIFF.
#include <string>
#include <vector>

namespace csd::io {

struct GreyImage {
  int width = 0, height = 0;
  int bits = 0;                ///< bits per sample as stored (8 or 16)
  std::vector<double> values;  ///< row-major, top row first, sample / (2^bits − 1) in [0, 1]
  std::string conversion;      ///< empty, or the conversion applied (e.g. "RGB → luminance")
};

/// Reads `path` (see above); throws csd::Error with a one-line message otherwise.
GreyImage read_grey_image(const std::string& path);

}  // namespace csd::io

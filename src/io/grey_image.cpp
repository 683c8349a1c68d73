#include "csd/io/grey_image.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "csd/core/error.h"
#include "csd/io/fs.h"
#include "grey_formats.h"

namespace csd::io {

GreyImage read_grey_image(const std::string& path) {
  require_file(path, "csd import expects a grey PNG or TIFF image");
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) throw Error("cannot open image '" + path + "': " + std::strerror(errno));
  unsigned char magic[8] = {};
  const size_t got = std::fread(magic, 1, sizeof magic, file);
  std::fclose(file);
  const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (got == 8 && std::memcmp(magic, png, 8) == 0) return detail::read_grey_png(path);
  // Classic TIFF ("II*\0", "MM\0*") and BigTIFF (version 43), either byte order.
  const bool intel = got >= 4 && magic[0] == 'I' && magic[1] == 'I' && magic[3] == 0 &&
                     (magic[2] == 42 || magic[2] == 43);
  const bool motorola = got >= 4 && magic[0] == 'M' && magic[1] == 'M' && magic[2] == 0 &&
                        (magic[3] == 42 || magic[3] == 43);
  if (intel || motorola) return detail::read_grey_tiff(path);
  throw Error("'" + path + "' is neither a PNG nor a TIFF file; csd import reads grey .png, "
              ".tif and .tiff images");
}

}  // namespace csd::io

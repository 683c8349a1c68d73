#include "chunk_codec.h"

#include <zlib.h>

#include <cstring>

#include "csd/core/error.h"

namespace csd::io::codec {
namespace {

constexpr std::size_t kElementBytes = sizeof(float);

std::vector<unsigned char> shuffle_bytes(const float* values, std::size_t count) {
  std::vector<unsigned char> out(count * kElementBytes);
  const auto* in = reinterpret_cast<const unsigned char*>(values);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t b = 0; b < kElementBytes; ++b) out[b * count + i] = in[i * kElementBytes + b];
  return out;
}

}  // namespace

std::vector<unsigned char> encode_float_chunk(const float* values, std::size_t count, int level) {
  const std::vector<unsigned char> shuffled = shuffle_bytes(values, count);
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<unsigned char> out(size);
  const int status =
      compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()), level);
  require(status == Z_OK, "zlib compression failed (status " + std::to_string(status) + ")");
  out.resize(size);
  return out;
}

}  // namespace csd::io::codec

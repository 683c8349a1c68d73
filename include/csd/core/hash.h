#pragma once
/// 64-bit FNV-1a, fed incrementally: fingerprints of configs and digests of checkpoint
/// weights (src/surrogate/checkpoint.cpp). Not cryptographic: it detects accidental
/// damage (a flipped byte, a truncated copy), not deliberate tampering.
///
///   csd::Fnv1a64 h;
///   h.add("text");
///   h.add_u64(42);
///   std::string hex = h.hex();  // 16 lowercase hex digits
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace csd {

class Fnv1a64 {
 public:
  void add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      h_ ^= bytes[i];
      h_ *= 0x100000001b3ULL;
    }
  }
  void add(const std::string& text) { add(text.data(), text.size()); }
  /// Little-endian bytes of `value`, so the digest is the same on every machine.
  void add_u64(std::uint64_t value) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    add(bytes, sizeof bytes);
  }
  std::uint64_t value() const { return h_; }
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h_));
    return text;
  }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace csd

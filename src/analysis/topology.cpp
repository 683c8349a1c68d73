#include "csd/analysis/topology.h"

#include <cstdint>
#include <numeric>
#include <vector>

namespace csd::analysis {
namespace {

/// Union-find over the pixels, with path halving.
class Components {
 public:
  explicit Components(std::size_t size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

Topology topology(const float* phi, int n, double threshold) {
  require_coarsening_grid(n);
  const std::size_t count = static_cast<std::size_t>(n) * n;
  std::vector<std::uint8_t> in(count);
  for (std::size_t i = 0; i < count; ++i) in[i] = phi[i] > threshold ? 1 : 0;  // NaN: out
  auto at = [&](int y, int x) { return static_cast<std::size_t>(y) * n + x; };

  long vertices = 0, edges = 0, faces = 0;
  Components components(count);
  for (int y = 0; y < n; ++y) {
    const int down = (y + 1) % n;
    for (int x = 0; x < n; ++x) {
      const int right = (x + 1) % n;
      const std::size_t p = at(y, x), r = at(y, right), d = at(down, x);
      if (!in[p]) continue;
      ++vertices;
      if (in[r]) {
        ++edges;
        components.join(p, r);
      }
      if (in[d]) {
        ++edges;
        components.join(p, d);
      }
      if (in[r] && in[d] && in[at(down, right)]) ++faces;
    }
  }
  Topology t;
  t.euler = vertices - edges + faces;
  for (std::size_t i = 0; i < count; ++i)
    if (in[i] && components.find(i) == i) ++t.domains;
  return t;
}

}  // namespace csd::analysis

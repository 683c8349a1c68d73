#include "csd/physics/params.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "csd/core/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

namespace csd::physics {
namespace {

const char* const kSection = "physics";

/// `!(x > 0)` is also true for NaN, so a NaN in a config is rejected here too.
void require_positive(double value, const char* key) {
  require(std::isfinite(value) && value > 0.0,
          std::string("physics.") + key + " must be a finite positive number (got " +
              fmt::format("{:g}", value) + ")");
}

/// nlohmann converts 100.5 to int 100 silently; an integer count must be written as one.
void require_integer_if_present(const Json& section, const char* key) {
  auto it = section.find(key);
  if (it != section.end() && !it->is_number_integer()) {
    throw_bad_type(kSection, key, it->is_number() ? "non-integer number" : it->type_name());
  }
}

}  // namespace

void Params::validate() const {
  require_positive(grid_spacing, "grid_spacing");
  require_positive(epsilon, "epsilon");
  require_positive(mobility, "mobility");
  require_positive(dt, "dt");
  require(steps_per_frame >= 1, "physics.steps_per_frame must be at least 1 (got " +
                                    std::to_string(steps_per_frame) + ")");
  require(std::isfinite(c11) && std::isfinite(c12) && std::isfinite(c44),
          "physics.c11, c12 and c44 must be finite numbers");
  // Positive-definite 2D cubic stiffness (eigenvalues C11 ± C12 and C44): otherwise the
  // acoustic tensor can be singular and tr B(n) undefined.
  require(c11 > 0.0 && c44 > 0.0 && c11 > std::abs(c12),
          "physics elastic constants are not positive definite: need c11 > 0, c44 > 0 and "
          "c11 > |c12| (got c11=" + fmt::format("{:g}", c11) + ", c12=" + fmt::format("{:g}", c12) +
              ", c44=" + fmt::format("{:g}", c44) + ")");
}

Json Params::to_json() const {
  return Json{{"grid_spacing", grid_spacing}, {"epsilon", epsilon},
              {"mobility", mobility},         {"dt", dt},
              {"steps_per_frame", steps_per_frame},
              {"c11", c11},                   {"c12", c12},
              {"c44", c44}};
}

Params Params::from_json(const Json& physics_section) {
  reject_unknown_keys(physics_section,
                      {"grid_spacing", "epsilon", "mobility", "dt", "steps_per_frame", "c11",
                       "c12", "c44"},
                      kSection);
  require_integer_if_present(physics_section, "steps_per_frame");
  Params p;
  read_key(physics_section, "grid_spacing", p.grid_spacing, kSection);
  read_key(physics_section, "epsilon", p.epsilon, kSection);
  read_key(physics_section, "mobility", p.mobility, kSection);
  read_key(physics_section, "dt", p.dt, kSection);
  read_key(physics_section, "steps_per_frame", p.steps_per_frame, kSection);
  read_key(physics_section, "c11", p.c11, kSection);
  read_key(physics_section, "c12", p.c12, kSection);
  read_key(physics_section, "c44", p.c44, kSection);
  return p;
}

std::vector<std::string> differences(const Params& a, const std::string& a_label,
                                     const Params& b, const std::string& b_label) {
  return json_differences(a.to_json(), a_label, b.to_json(), b_label);
}

void require_same_physics(const Params& a, const std::string& a_label, const Params& b,
                          const std::string& b_label, bool allow, const std::string& what) {
  const std::vector<std::string> keys = differences(a, a_label, b, b_label);
  if (keys.empty()) return;
  const std::string list = fmt::format("{}", fmt::join(keys, ", "));
  if (allow) {
    spdlog::warn("{}: the physics differ ({}); continuing because the mismatch is allowed",
                 what, list);
    return;
  }
  throw Error(fmt::format("{}: the physics differ ({}), so the comparison would be wrong; use a "
                          "model and data of the same physics, or allow the mismatch "
                          "(--allow-physics-mismatch) to run anyway",
                          what, list));
}

}  // namespace csd::physics

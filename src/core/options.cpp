#include "csd/core/options.h"

#include <algorithm>
#include <type_traits>

#include "csd/core/error.h"

namespace csd {
namespace detail {

void read_option(const Json& section, const std::string& section_name, const std::string& key,
                 OptionRef ref, const std::vector<std::string>& choices) {
  std::visit(
      [&](auto* value) {
        using T = std::remove_pointer_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::optional<double>>) {
          if (!section.contains(key)) return;
          double v = 0;
          read_key(section, key.c_str(), v, section_name);
          *value = v;
        } else {
          read_key(section, key.c_str(), *value, section_name);
        }
      },
      ref);
  if (choices.empty() || !section.contains(key)) return;
  const std::string* text = std::get_if<std::string*>(&ref) ? *std::get_if<std::string*>(&ref)
                                                           : nullptr;
  if (text == nullptr || std::find(choices.begin(), choices.end(), *text) != choices.end()) return;
  std::string allowed;
  for (const auto& c : choices) allowed += (allowed.empty() ? "" : " | ") + c;
  throw Error(section_name + "." + key + " = \"" + *text + "\" is not one of " + allowed);
}

Json option_json(OptionRef ref) {
  return std::visit(
      [](auto* value) -> Json {
        using T = std::remove_pointer_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::optional<double>>) {
          return *value ? Json(**value) : Json(nullptr);
        } else {
          return Json(*value);
        }
      },
      ref);
}

void copy_option(OptionRef from, OptionRef to) {
  std::visit(
      [&](auto* source) {
        using T = std::remove_pointer_t<decltype(source)>;
        *std::get<T*>(to) = *source;
      },
      from);
}

}  // namespace detail

std::string option_flag(const std::string& key) {
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

}  // namespace csd

#include "csd/core/json_config.h"

#include <fstream>
#include <sstream>

#include "csd/core/error.h"

namespace csd {

Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "cannot read config '" + path + "': no such file or not readable");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw Error("config '" + path + "' is not valid JSON: " + e.what());
  }
}

void reject_unknown_keys(const Json& object, const std::vector<std::string>& allowed,
                         const std::string& section) {
  require(object.is_object(), "config section '" + section + "' must be a JSON object");
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto& key : allowed) known = known || item.key() == key;
    if (!known) {
      std::string list;
      for (const auto& key : allowed) list += std::string(list.empty() ? "" : ", ") + key;
      throw Error("unknown config key '" + section + "." + item.key() + "' (allowed: " + list +
                  ")");
    }
  }
}

void reject_unknown_keys(const Json& object, std::initializer_list<const char*> allowed,
                         const std::string& section) {
  reject_unknown_keys(object, std::vector<std::string>(allowed.begin(), allowed.end()), section);
}

Json section_or_empty(const Json& object, const std::string& section) {
  auto it = object.find(section);
  if (it == object.end()) return Json::object();
  require(it->is_object(), "config section '" + section + "' must be a JSON object");
  return *it;
}

void throw_bad_type(const std::string& section, const char* key, const char* got) {
  throw Error("config key '" + section + "." + key + "' has the wrong type (" + got + ")");
}

}  // namespace csd

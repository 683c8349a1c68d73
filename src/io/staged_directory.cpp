#include "csd/io/staged_directory.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::io {
namespace fs = std::filesystem;

namespace {

bool is_empty_directory(const std::string& path) {
  std::error_code ec;
  return fs::is_empty(path, ec) && !ec;
}

/// Deletes what a killed run left in the (locked) staging folder.
void clear_contents(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
  if (ec) throw Error("cannot clear '" + dir + "' (left by an earlier run): " + ec.message());
}

}  // namespace

StagedDirectory::StagedDirectory(const std::string& final_dir, bool overwrite,
                                 Unfinished unfinished)
    : final_(fs::path(final_dir).lexically_normal().string()), unfinished_(unfinished) {
  require(!final_dir.empty(), "empty output folder name; pass --out DIR");
  if (!final_.empty() && final_.back() == '/') final_.pop_back();
  staging_ = final_ + ".part";
  std::error_code ec;
  require_replaceable(final_, /*directory_allowed=*/true);
  require(!fs::exists(final_, ec) || fs::is_directory(final_, ec),
          "output '" + final_ + "' is a file, not a folder; choose another --out");
  const bool resume = unfinished == Unfinished::kResume;
  require(overwrite || resume || !fs::exists(final_, ec) || is_empty_directory(final_),
          "output folder '" + final_ + "' already holds results; use --overwrite to replace "
          "them (the old ones stay until the new ones are complete) or choose another --out");
  const fs::path parent = fs::path(final_).parent_path();
  if (!parent.empty()) {
    // Remember the folders made here, so a failed run can take them away again.
    for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path())
      created_.push_back(p.string());
    ensure_directory(parent.string());
  }
  require_replaceable(staging_, /*directory_allowed=*/true);
  require(!fs::exists(staging_, ec) || fs::is_directory(staging_, ec),
          "'" + staging_ + "' is in the way (a file); delete it or choose another --out");
  ensure_directory(staging_);
  lock_.emplace(staging_);
  if (!resume) clear_contents(staging_);
}

StagedDirectory::~StagedDirectory() {
  if (committed_ || unfinished_ != Unfinished::kDelete) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);  // the old output is untouched
  for (const std::string& dir : created_) fs::remove(dir, ec);  // only if still empty
}

void StagedDirectory::commit() {
  require(!committed_, "output '" + final_ + "' is already committed");
  std::error_code ec;
  std::string old_results;  // where the replaced folder ends up, to be deleted
  if (!fs::exists(final_, ec)) {
    atomic_rename(staging_, final_);
  } else if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_.c_str(), RENAME_EXCHANGE) == 0) {
    old_results = staging_;
  } else {  // a file system without exchange: move the old folder aside, then the new one in
    old_results = final_ + ".old";
    fs::remove_all(old_results, ec);
    atomic_rename(final_, old_results);
    atomic_rename(staging_, final_);
  }
  committed_ = true;
  if (!old_results.empty()) fs::remove_all(old_results, ec);
  lock_.reset();
}

void require_outside(const std::string& output_dir, const std::string& input,
                     const std::string& input_name) {
  if (input.empty()) return;
  std::error_code ec;
  const fs::path out = fs::weakly_canonical(output_dir, ec);
  const fs::path in = fs::weakly_canonical(input, ec);
  if (ec) return;
  auto o = out.begin();
  auto i = in.begin();
  for (; o != out.end() && i != in.end(); ++o, ++i)
    if (*o != *i) return;
  require(o != out.end(), input_name + " '" + input + "' lies inside the output folder '" +
                              output_dir + "', which this run replaces; choose another --out");
}

}  // namespace csd::io

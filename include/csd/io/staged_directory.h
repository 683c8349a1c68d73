#pragma once
/// An output folder that is replaced whole or not at all. The new results are written
/// into "<out>.part" (locked, io/lock.h, so a second writer of the same folder fails at
/// once) and swapped in by commit(); a run killed or failed before that leaves the old
/// folder exactly as it was (a stale "<out>.part" is cleared by the next run).
#include <optional>
#include <string>
#include <vector>

#include "csd/io/lock.h"

namespace csd::io {

class StagedDirectory {
 public:
  /// How a staging folder outlives a run that does not commit.
  enum class Unfinished {
    kDelete,  ///< deleted (a job that cannot resume)
    kKeep,    ///< kept for a later kResume (e.g. pictures of finished sequences)
    kResume,  ///< this run resumes: keep what the staging folder holds, and keep it again
  };
  /// Throws csd::Error before any work if `final_dir` is a file, link to a file or
  /// special file, if it is a non-empty folder and !overwrite (not checked for kResume:
  /// the interrupted run was checked), if another process is writing it, or if it
  /// cannot be created. Parent folders are created. Except for kResume, anything a
  /// killed run left in the staging folder is cleared.
  StagedDirectory(const std::string& final_dir, bool overwrite,
                  Unfinished unfinished = Unfinished::kDelete);
  /// Without commit(): deletes the staging folder and the parent folders it made
  /// (kDelete), or leaves them; the old output stays either way.
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  /// Where the new results are written until commit().
  const std::string& path() const { return staging_; }
  /// Swaps the staging folder in for the final one (atomically where the file system
  /// can exchange two names) and deletes the old contents.
  void commit();

 private:
  std::string final_, staging_;
  std::optional<ExclusiveLock> lock_;
  std::vector<std::string> created_;  ///< parent folders made here, deepest first
  Unfinished unfinished_;
  bool committed_ = false;
};

/// Throws csd::Error if `input` lies inside folder `output_dir` (or is it): writing the
/// output would replace or delete its own input.
void require_outside(const std::string& output_dir, const std::string& input,
                     const std::string& input_name);

}  // namespace csd::io

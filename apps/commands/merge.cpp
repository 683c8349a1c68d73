// csd merge: joins the shards of csd generate --shard I/N into the dataset.
//   csd merge train.h5 train.0.h5 train.1.h5 train.2.h5 train.3.h5
//   csd merge train.h5 shards/train.*.h5 --overwrite
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/progress.h"
#include "csd/pipeline/merge.h"

namespace csd::app {

void setup_merge(CLI::App& parent) {
  CLI::App* app = parent.add_subcommand(
      "merge",
      "Join the shards of `csd generate --shard I/N` into OUT, the dataset one run with the\n"
      "same config writes, byte for byte. Refuses shards of different configs or physics,\n"
      "a sequence in no shard or in two, and unfinished shards, naming the shard.");
  auto c = std::make_shared<pipeline::MergeConfig>();
  app->add_option("out", c->out, "merged dataset (HDF5)")->required();
  app->add_option("shards", c->shards, "shard files, in any order")->required();
  app->add_flag("--overwrite", c->overwrite,
                "replace OUT (the old file stays until the new one is complete)");
  app->add_option("--threads", c->threads, "workers re-encoding sequences [0 = all cores]");
  app->callback([c] {
    c->threads = resolve_threads(c->threads);
    create_parent_directory(c->out);
    const pipeline::MergeSummary s = pipeline::merge_shards(*c);
    spdlog::info("merge: {} sequences from {} shards in {} → {}", s.sequences, s.shards,
                 format_duration(s.seconds), c->out);
  });
}

}  // namespace csd::app

#pragma once
/// The surrogate as an evaluation::Predictor, so that `csd evaluate` and
/// `csd phasediagram` run it through the LibTorch-free evaluation jobs. LibTorch-free
/// header.
///
///   auto model = csd::surrogate::load_predictor("data/model-small.pt", {"auto", 2});
///   csd::evaluation::run_evaluate(job, model.get());
#include <memory>
#include <string>

#include "csd/evaluation/predictor.h"
#include "csd/surrogate/surrogate.h"

namespace csd::surrogate {

/// Loads the checkpoint; the predictor reports the physics and η range it was trained on.
/// Throws csd::Error if the checkpoint cannot be read.
std::unique_ptr<evaluation::Predictor> load_predictor(const std::string& checkpoint,
                                                      const DeviceOptions& device);

}  // namespace csd::surrogate

#pragma once
/// loss.png of a training run: log10 of the train and validation losses against the
/// epoch (paper Fig. 3a), drawn with csd::io::Image. Torch-free. Internal.
#include <string>
#include <vector>

#include "csd/surrogate/surrogate.h"

namespace csd::surrogate::detail {

/// Writes the plot atomically; epochs with non-positive or non-finite losses are skipped.
void plot_loss_history(const std::string& path, const std::vector<EpochRecord>& history);

}  // namespace csd::surrogate::detail

#include "ensemble_table.h"

#include "csd/core/error.h"

namespace csd::evaluation::detail {

const std::vector<Column<FrameRecord>>& frame_columns() {
  static const std::vector<Column<FrameRecord>> columns{
      member_column("mean_phi", &FrameRecord::mean_phi),
      member_column("f", &FrameRecord::f),
      member_column("w", &FrameRecord::w),
      member_column("rho", &FrameRecord::rho),
      member_column("grad", &FrameRecord::grad),
      member_column("total", &FrameRecord::total),
      member_column("interface_length", &FrameRecord::interface_length),
      member_column("isotropy", &FrameRecord::isotropy),
      member_column("fractal_dimension", &FrameRecord::fractal_dimension),
      member_column("min_phi", &FrameRecord::min_phi),
      member_column("max_phi", &FrameRecord::max_phi),
      member_column("length", &FrameRecord::length),
      member_column("k1", &FrameRecord::k1),
      member_column("k2", &FrameRecord::k2),
      member_column("anisotropy", &FrameRecord::anisotropy),
      member_column("euler", &FrameRecord::euler),
      member_column("domains", &FrameRecord::domains)};
  return columns;
}

const Column<FrameRecord>& frame_column(double FrameRecord::*descriptor) {
  for (const auto& c : frame_columns())
    if (c.member == descriptor) return c;
  throw Error("internal: FrameRecord member without a column");
}

std::vector<std::string> ensemble_header(const std::vector<std::string>& names) {
  std::vector<std::string> columns{"frame", "time", "count"};
  for (const auto& name : names) add_quartile_columns(columns, name);
  return columns;
}

}  // namespace csd::evaluation::detail

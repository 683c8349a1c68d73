#pragma once
// Per-frame tables of analyze and compare (private to csd_evaluation). A column list names
// each quantity once and says where it lives in a record; the per-frame CSV, ensemble.csv
// and the summary's per-frame quartiles all iterate that one list.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "csd/core/json_config.h"
#include "csd/io/csv.h"

namespace csd::evaluation::detail {

/// How a column enters the ensemble statistics.
enum class Ensemble {
  kValue,      ///< as written per frame
  kMagnitude,  ///< |value|: a signed error whose size matters (Fig. 4c plots |error|)
};

/// One per-frame quantity of a Record: `record.*member`, or, for a record that holds the
/// descriptors of several fields (a compared pair), `(record.*field).*descriptor`.
template <class Record>
struct Column {
  std::string name;
  double Record::*member = nullptr;
  FrameRecord Record::*field = nullptr;
  double FrameRecord::*descriptor = nullptr;
  Ensemble ensemble = Ensemble::kValue;

  double value(const Record& r) const { return field ? (r.*field).*descriptor : r.*member; }
  double ensemble_value(const Record& r) const {
    const double v = value(r);
    return ensemble == Ensemble::kMagnitude ? std::abs(v) : v;
  }
};

/// A column that is a member of the record itself.
template <class Record>
Column<Record> member_column(std::string name, double Record::*member,
                             Ensemble ensemble = Ensemble::kValue) {
  Column<Record> c;
  c.name = std::move(name);
  c.member = member;
  c.ensemble = ensemble;
  return c;
}

/// A column that is descriptor `descriptor` of the record's FrameRecord `field`.
template <class Record>
Column<Record> descriptor_column(std::string name, FrameRecord Record::*field,
                                 double FrameRecord::*descriptor) {
  Column<Record> c;
  c.name = std::move(name);
  c.field = field;
  c.descriptor = descriptor;
  return c;
}

/// FrameRecord's descriptors as columns, in the order of frame_descriptor_names().
const std::vector<Column<FrameRecord>>& frame_columns();
/// The column of one FrameRecord member; throws csd::Error for a member it does not list.
const Column<FrameRecord>& frame_column(double FrameRecord::*descriptor);

/// Names of `columns`, in order.
template <class Record>
std::vector<std::string> column_names(const std::vector<Column<Record>>& columns) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

/// frame, time, count, then <name>_median, <name>_q1, <name>_q3 of each name.
std::vector<std::string> ensemble_header(const std::vector<std::string>& names);

/// A per-sequence value written on every row of that sequence (η, the sequence's ⟨φ⟩).
struct SequenceKey {
  std::string name;
  std::vector<double> values;  ///< one per sequence, in record order
};

/// Records [sequence][frame] of `frames` frames each, τ apart, with the columns they are
/// reported in. Holds references: columns and records must outlive the table.
template <class Record>
class FrameTable {
 public:
  using Records = std::vector<std::vector<Record>>;

  FrameTable(const std::vector<Column<Record>>& columns, const Records& records, int frames,
             double tau)
      : columns_(columns), records_(records), frames_(frames), tau_(tau) {}

  const Records& records() const { return records_; }
  double tau() const { return tau_; }

  /// The ensemble's values of `column` at `frame`, one per sequence.
  std::vector<double> ensemble_values(int frame, const Column<Record>& column) const {
    std::vector<double> values;
    values.reserve(records_.size());
    for (const auto& sequence : records_) values.push_back(column.ensemble_value(sequence[frame]));
    return values;
  }

  /// ensemble_values() of every frame: [frame][sequence].
  std::vector<std::vector<double>> frame_values(const Column<Record>& column) const {
    std::vector<std::vector<double>> values;
    for (int j = 0; j < frames_; ++j) values.push_back(ensemble_values(j, column));
    return values;
  }

  /// One row per (sequence, frame): sequence (its number in the file, `ids`), frame, time,
  /// the `keys`, then every column's value.
  void write_rows_csv(const std::string& path, const std::vector<int>& ids,
                      const std::vector<SequenceKey>& keys) const {
    std::vector<std::string> header{"sequence", "frame", "time"};
    for (const auto& key : keys) header.push_back(key.name);
    const std::vector<std::string> names = column_names(columns_);
    header.insert(header.end(), names.begin(), names.end());
    io::CsvWriter csv(path, header);
    for (std::size_t s = 0; s < records_.size(); ++s)
      for (std::size_t j = 0; j < records_[s].size(); ++j) {
        std::vector<double> row{static_cast<double>(ids[s]), static_cast<double>(j), j * tau_};
        for (const auto& key : keys) row.push_back(key.values[s]);
        for (const auto& c : columns_) row.push_back(c.value(records_[s][j]));
        csv.row_values(row);
      }
    csv.close();
  }

  /// One row per frame: frame, time, count, then <name>_median, <name>_q1, <name>_q3 of
  /// every column over the sequences.
  void write_ensemble_csv(const std::string& path) const {
    io::CsvWriter csv(path, ensemble_header(column_names(columns_)));
    for (int j = 0; j < frames_; ++j) {
      std::vector<double> row{static_cast<double>(j), j * tau_,
                              static_cast<double>(records_.size())};
      for (const auto& c : columns_) add_quartile_values(row, ensemble_values(j, c));
      csv.row_values(row);
    }
    csv.close();
  }

  /// {"frame", "time", then <name>: quartiles_json of every column} at `frame`.
  Json quartiles_json(int frame) const {
    Json j{{"frame", frame}, {"time", frame * tau_}};
    for (const auto& c : columns_)
      j[c.name] = detail::quartiles_json(quartiles_or_nan(ensemble_values(frame, c)));
    return j;
  }

 private:
  const std::vector<Column<Record>>& columns_;
  const Records& records_;
  int frames_;
  double tau_;
};

}  // namespace csd::evaluation::detail

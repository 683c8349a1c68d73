// The column tables behind analyze's and compare's CSV files: one list of member pointers
// read for the header, the rows and the ensemble statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "evaluation/ensemble_table.h"
#include "csd/evaluation/analyze.h"
#include "eval_fixtures.h"

namespace csd::evaluation::detail {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A record with a quantity of its own and the descriptors of one field.
struct ToyRecord {
  double error = 0;
  FrameRecord field;
};

ToyRecord toy(double error, double f) {
  ToyRecord r;
  r.error = error;
  r.field.f = f;
  return r;
}

class FrameTableTest : public ::testing::Test {
 protected:
  const std::vector<Column<ToyRecord>> columns_{
      member_column("error", &ToyRecord::error, Ensemble::kMagnitude),
      descriptor_column("f_x", &ToyRecord::field, &FrameRecord::f)};
  // Two sequences of three frames; frame 1 of sequence 1 has an undefined f.
  const FrameTable<ToyRecord>::Records records_{
      {toy(-1, 10), toy(2, 20), toy(-3, 30)},
      {toy(4, 40), toy(-5, std::numeric_limits<double>::quiet_NaN()), toy(6, 60)}};
  const FrameTable<ToyRecord> table_{columns_, records_, 3, 0.5};
  test::TempDir dir_{"frame_table"};
};

TEST_F(FrameTableTest, RowsCarryTheKeysThenEveryColumnSigned) {
  table_.write_rows_csv(dir_ / "rows.csv", {7, 9}, {{"eta", {0.25, 0.5}}});
  EXPECT_EQ(slurp(dir_ / "rows.csv"),
            "sequence,frame,time,eta,error,f_x\n"
            "7,0,0,0.25,-1,10\n"
            "7,1,0.5,0.25,2,20\n"
            "7,2,1,0.25,-3,30\n"
            "9,0,0,0.5,4,40\n"
            "9,1,0.5,0.5,-5,nan\n"
            "9,2,1,0.5,6,60\n");
}

TEST_F(FrameTableTest, TheEnsembleTakesMagnitudesAndSkipsNaN) {
  table_.write_ensemble_csv(dir_ / "ensemble.csv");
  // Two values: median = mean, q1/q3 a quarter of the way in from each end; |error|.
  EXPECT_EQ(slurp(dir_ / "ensemble.csv"),
            "frame,time,count,error_median,error_q1,error_q3,f_x_median,f_x_q1,f_x_q3\n"
            "0,0,2,2.5,1.75,3.25,25,17.5,32.5\n"
            "1,0.5,2,3.5,2.75,4.25,20,20,20\n"
            "2,1,2,4.5,3.75,5.25,45,37.5,52.5\n");
  EXPECT_EQ(table_.ensemble_values(1, columns_[0]), (std::vector<double>{2, 5}));
}

TEST_F(FrameTableTest, QuartilesJsonNamesEveryColumn) {
  const Json j = table_.quartiles_json(2);
  EXPECT_EQ(j["frame"], 2);
  EXPECT_EQ(j["time"], 1.0);
  EXPECT_EQ(j["error"]["median"], 4.5);
  EXPECT_EQ(j["f_x"]["iqr"], 15.0);
  EXPECT_EQ(j.size(), 4u);
}

TEST(FrameColumns, FollowFrameRecordInTheOrderOfTheDescriptorNames) {
  EXPECT_EQ(column_names(frame_columns()), frame_descriptor_names());
  FrameRecord r;
  const std::vector<double FrameRecord::*> members{
      &FrameRecord::mean_phi,         &FrameRecord::f,        &FrameRecord::w,
      &FrameRecord::rho,              &FrameRecord::grad,     &FrameRecord::total,
      &FrameRecord::interface_length, &FrameRecord::isotropy, &FrameRecord::fractal_dimension,
      &FrameRecord::min_phi,          &FrameRecord::max_phi};
  for (std::size_t i = 0; i < members.size(); ++i) r.*members[i] = 100.0 + i;
  // Each column reads its own member, in the order FrameRecord::values() lists them.
  std::vector<double> read;
  for (const auto& c : frame_columns()) read.push_back(c.value(r));
  EXPECT_EQ(read, r.values());
  EXPECT_EQ(frame_column(&FrameRecord::isotropy).name, "isotropy");
}

}  // namespace
}  // namespace csd::evaluation::detail

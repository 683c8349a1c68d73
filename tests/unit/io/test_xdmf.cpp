// The XDMF document of one sequence (io/xdmf.h); its meaning for a reader is checked
// end to end by tests/scripts/check_xdmf.py (CliExport.*).
#include <gtest/gtest.h>

#include <string>

#include "csd/core/error.h"
#include "csd/io/xdmf.h"

namespace csd::io {
namespace {

int occurrences(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

physics::Params physics_with(double spacing, double dt, int steps) {
  physics::Params p;
  p.grid_spacing = spacing;
  p.dt = dt;
  p.steps_per_frame = steps;
  return p;
}

TEST(Xdmf, OneGridPerFrameAtItsTimeReadingItsHyperslab) {
  const std::string doc = xdmf_document({4, 3, 8}, physics_with(0.5, 0.02, 50), 2, "data.h5");
  EXPECT_EQ(occurrences(doc, "<Grid Name=\"frame "), 3);
  for (const char* time : {"<Time Value=\"0\"/>", "<Time Value=\"1\"/>", "<Time Value=\"2\"/>"})
    EXPECT_EQ(occurrences(doc, time), 1) << time;
  for (const char* slab : {">2 0 0 0 1 1 1 1 1 1 8 8<", ">2 1 0 0 1 1 1 1 1 1 8 8<",
                           ">2 2 0 0 1 1 1 1 1 1 8 8<"})
    EXPECT_EQ(occurrences(doc, slab), 1) << slab;
  EXPECT_EQ(occurrences(doc, "Dimensions=\"4 3 8 8\" NumberType=\"Float\" Precision=\"4\">"
                             "data.h5:/phi<"), 3);
  EXPECT_EQ(occurrences(doc, "TopologyType=\"3DCoRectMesh\" Dimensions=\"1 8 8\""), 3);
  EXPECT_EQ(occurrences(doc, ">0.5 0.5 0.5<"), 3);
}

TEST(Xdmf, EscapesTheFileNameAndRefusesWhatXdmfCannotName) {
  const physics::Params p;
  EXPECT_NE(xdmf_document({1, 1, 4}, p, 0, "a&b<c>.h5").find("a&amp;b&lt;c&gt;.h5:/phi"),
            std::string::npos);
  EXPECT_THROW(xdmf_document({1, 1, 4}, p, 0, "c:/data.h5"), Error);
  EXPECT_THROW(xdmf_document({1, 1, 4}, p, 0, ""), Error);
  EXPECT_THROW(xdmf_document({2, 1, 4}, p, 2, "data.h5"), Error);
  EXPECT_THROW(xdmf_document({2, 1, 4}, p, -1, "data.h5"), Error);
}

}  // namespace
}  // namespace csd::io

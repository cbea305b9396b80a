#include "hub/core/suggest.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

TEST(SuggestTest, ProposesTheClosestCandidate) {
  EXPECT_EQ(closestMatch("lisen", {"listen", "threads", "tls"}), "listen");
}

TEST(SuggestTest, ProposesNothingWhenEverythingIsFar) {
  EXPECT_FALSE(closestMatch("zzzzzz", {"listen", "threads"}));
}

TEST(SuggestTest, IgnoresCaseWhenMeasuring) { EXPECT_EQ(editDistance("Batch_Size", "batch_size"), 0u); }

TEST(SuggestTest, DidYouMeanIsReadyToAppend) {
  EXPECT_EQ(didYouMean("flws", {"flows"}), " (did you mean 'flows'?)");
  EXPECT_EQ(didYouMean("qqqqqq", {"flows"}), "");
}

}  // namespace
}  // namespace hub

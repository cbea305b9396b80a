#include "hub/core/digest.h"

#include <gtest/gtest.h>

namespace hub::digest {
namespace {

TEST(DigestTest, Sha256OfEmptyInputMatchesTheKnownValue) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DigestTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(hex(hmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DigestTest, Base64EncodesWithPadding) {
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
}

TEST(DigestTest, Base64DecodesWithOrWithoutPadding) {
  std::string out;
  ASSERT_TRUE(base64Decode("Zm8=", out));
  EXPECT_EQ(out, "fo");
  ASSERT_TRUE(base64Decode("Zm8", out));
  EXPECT_EQ(out, "fo");
}

TEST(DigestTest, Base64RejectsForeignCharacters) {
  std::string out;
  EXPECT_FALSE(base64Decode("Zm9v!", out));
}

TEST(DigestTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

TEST(DigestTest, RandomBytesHaveTheRequestedLengthAndDiffer) {
  EXPECT_EQ(randomBytes(16).size(), 16u);
  EXPECT_NE(randomBytes(16), randomBytes(16));
}

}  // namespace
}  // namespace hub::digest

#include "hub/core/redaction.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

class RedactionTest : public ::testing::Test {
 protected:
  void TearDown() override { Redactor::global().clear(); }
};

TEST_F(RedactionTest, RegisteredSecretIsMaskedEverywhereItAppears) {
  Redactor::global().addSecret("s3cr3t-token");
  EXPECT_EQ(redact("a s3cr3t-token and s3cr3t-token"), "a *** and ***");
}

TEST_F(RedactionTest, LongerSecretContainingAShorterOneIsMaskedWhole) {
  Redactor::global().addSecret("abcd");
  Redactor::global().addSecret("xxabcdyy");
  EXPECT_EQ(redact("[xxabcdyy]"), "[***]");
}

TEST_F(RedactionTest, VeryShortValuesAreNotTreatedAsSecrets) {
  Redactor::global().addSecret("ab");
  EXPECT_EQ(redact("abab"), "abab");
}

TEST_F(RedactionTest, TextWithoutSecretsIsUnchanged) {
  Redactor::global().addSecret("password1");
  EXPECT_EQ(redact("nothing to hide"), "nothing to hide");
}

}  // namespace
}  // namespace hub

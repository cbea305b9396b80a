#include <gtest/gtest.h>
TEST(Dms, Builds) {}

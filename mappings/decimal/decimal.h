#pragma once
// Exact fixed-point decimal for money and quantities: a 128-bit mantissa and a
// scale of 0..18 fractional digits (value = mantissa / 10^scale), so
// 0.1 + 0.2 is exactly 0.3. Debian bookworm ships no exact-decimal library
// (no libmpdec; libintelrdfpmath is decimal *floating* point), and ERP
// amounts never need more than 38 significant digits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hub {

enum class RoundingMode {
  HalfUp,    // 2.5 -> 3, -2.5 -> -3 (ties away from zero; the default)
  HalfEven,  // 2.5 -> 2, 3.5 -> 4 (banker's rounding)
  Down,      // towards zero (truncate)
  Up,        // away from zero
  Floor,     // towards -infinity
  Ceiling,   // towards +infinity
};
std::optional<RoundingMode> parseRoundingMode(std::string_view name);  // "half_up", "half_even", ...

class Decimal {
 public:
  using Mantissa = __int128;
  static constexpr int kMaxScale = 18;

  constexpr Decimal() = default;
  // Nothing if |mantissa| needs more than 38 digits or scale is out of range.
  static std::optional<Decimal> of(Mantissa mantissa, int scale);
  static Decimal fromInt(std::int64_t v) { return Decimal(v, 0); }
  // "12.50", "-3", "+7", "1.5e3", ".5"; surrounding spaces are not accepted.
  // More than kMaxScale fractional digits are rounded half-up.
  static std::optional<Decimal> parse(std::string_view text);
  // The shortest decimal that reads back as `v` (so 0.1 is exactly 0.1).
  static std::optional<Decimal> fromDouble(double v);

  Mantissa mantissa() const { return m_; }
  int scale() const { return scale_; }
  bool isZero() const { return m_ == 0; }
  bool isNegative() const { return m_ < 0; }
  int sign() const { return m_ < 0 ? -1 : (m_ > 0 ? 1 : 0); }
  // Digits without leading zeros, trailing fractional zeros ignored (1.50 -> 2).
  int significantDigits() const;
  int integerDigits() const;  // digits before the point (0.5 -> 0, 12.3 -> 2)

  // Exact text, keeping the scale: 3.30 stays "3.30".
  std::string toString() const;
  // The nearest double; exact in its shortest form up to 15 significant digits.
  double toDouble() const;
  std::optional<std::int64_t> toInt64() const;  // only when there is no fractional part

  // Nothing on overflow (results beyond 38 digits).
  std::optional<Decimal> add(const Decimal& o) const;
  std::optional<Decimal> sub(const Decimal& o) const;
  std::optional<Decimal> mul(const Decimal& o) const;  // scale = sum of scales, capped at kMaxScale
  // Rounded to `scale` places; nothing on division by zero or overflow.
  std::optional<Decimal> div(const Decimal& o, int scale, RoundingMode mode = RoundingMode::HalfUp) const;
  // To `places` fractional digits (negative: round to tens, hundreds, ...).
  std::optional<Decimal> round(int places, RoundingMode mode = RoundingMode::HalfUp) const;
  Decimal negate() const { return Decimal(-m_, scale_); }
  Decimal abs() const { return m_ < 0 ? negate() : *this; }
  Decimal stripTrailingZeros() const;

  // -1, 0, 1 by value (1.0 equals 1.00).
  int compare(const Decimal& o) const;
  bool operator==(const Decimal& o) const { return compare(o) == 0; }

 private:
  constexpr Decimal(Mantissa m, int scale) : m_(m), scale_(scale) {}
  Mantissa m_ = 0;
  int scale_ = 0;
};

}  // namespace hub

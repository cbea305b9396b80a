#include "mappings/decimal/decimal.h"

#include <array>
#include <charconv>
#include <cstdlib>

namespace hub {
namespace {

using M = Decimal::Mantissa;

constexpr std::array<M, 39> makePowers() {
  std::array<M, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<M, 39> kPow10 = makePowers();
constexpr M kLimit = kPow10[38];  // mantissas stay below 10^38 in magnitude

bool inRange(M m) { return m < kLimit && m > -kLimit; }

int digitCount(M m) {
  if (m < 0) m = -m;
  int n = 1;
  while (n < 39 && m >= kPow10[n]) ++n;
  return n;
}

// num / den rounded by `mode`; den > 0.
M divRound(M num, M den, RoundingMode mode) {
  M q, r;
  if (num >= INT64_MIN && num <= INT64_MAX && den <= INT64_MAX) {
    const auto n = static_cast<std::int64_t>(num), d = static_cast<std::int64_t>(den);
    q = n / d;
    r = n % d;
  } else {
    q = num / den;
    r = num % den;
  }
  if (r == 0) return q;
  const bool neg = num < 0;
  const M ar = r < 0 ? -r : r;
  const M away = neg ? -1 : 1;
  switch (mode) {
    case RoundingMode::Down: return q;
    case RoundingMode::Up: return q + away;
    case RoundingMode::Floor: return neg ? q - 1 : q;
    case RoundingMode::Ceiling: return neg ? q : q + 1;
    case RoundingMode::HalfUp: return ar >= den - ar ? q + away : q;
    case RoundingMode::HalfEven:
      if (ar > den - ar) return q + away;
      if (ar == den - ar) return (q % 2 != 0) ? q + away : q;
      return q;
  }
  return q;
}

bool scaleUp(M m, int by, M& out) { return !__builtin_mul_overflow(m, kPow10[by], &out); }

// Most amounts fit 64 bits, where division is several times cheaper than
// the 128-bit library routine; the fast paths below use it.
constexpr std::int64_t kPow10_64[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                        1000000000, 10000000000, 100000000000, 1000000000000,
                                        10000000000000, 100000000000000, 1000000000000000,
                                        10000000000000000, 100000000000000000, 1000000000000000000};
bool small(M m) { return m >= INT64_MIN && m <= INT64_MAX; }

int digitCount64(std::uint64_t a) {
  int n = 1;
  while (n < 19 && a >= static_cast<std::uint64_t>(kPow10_64[n])) ++n;
  return n;
}

// "123.45" style input with at most 18 digits and no exponent: parsed straight into 64 bits.
std::optional<Decimal> parseSimple(std::string_view s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  std::int64_t m = 0;
  int digits = 0, scale = 0;
  bool point = false, any = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (m != 0 || c != '0') ++digits;
      if (digits > 18) return std::nullopt;
      m = m * 10 + (c - '0');
      if (point) ++scale;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return std::nullopt;
    }
  }
  if (!any || scale > Decimal::kMaxScale) return std::nullopt;
  return Decimal::of(neg ? -m : m, scale);
}

}  // namespace

std::optional<RoundingMode> parseRoundingMode(std::string_view n) {
  if (n == "half_up") return RoundingMode::HalfUp;
  if (n == "half_even") return RoundingMode::HalfEven;
  if (n == "down") return RoundingMode::Down;
  if (n == "up") return RoundingMode::Up;
  if (n == "floor") return RoundingMode::Floor;
  if (n == "ceiling") return RoundingMode::Ceiling;
  return std::nullopt;
}

std::optional<Decimal> Decimal::of(Mantissa m, int scale) {
  if (scale < 0 || scale > kMaxScale || !inRange(m)) return std::nullopt;
  return Decimal(m, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (auto fast = parseSimple(s)) return fast;
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  // Significant digits without leading zeros, and where the point falls.
  std::string digits;
  long long pointPos = 0;  // digits (of `digits`) before the decimal point
  bool sawDigit = false, sawPoint = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      sawDigit = true;
      if (digits.empty() && c == '0') {
        if (sawPoint) --pointPos;  // leading zero after the point shifts the point
        continue;
      }
      digits.push_back(c);
      if (!sawPoint) ++pointPos;
    } else if (c == '.' && !sawPoint) {
      sawPoint = true;
    } else {
      break;
    }
  }
  if (!sawDigit) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool expNeg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) expNeg = s[i++] == '-';
    if (i == s.size()) return std::nullopt;
    long long e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    pointPos += expNeg ? -e : e;
  }
  if (digits.empty()) {  // zero keeps its written scale: "0.00" has two places
    const long long zs = -pointPos;
    return Decimal(0, zs < 0 ? 0 : (zs > kMaxScale ? kMaxScale : static_cast<int>(zs)));
  }
  // value = 0.digits * 10^pointPos; fractional digits = len - pointPos.
  long long scale = static_cast<long long>(digits.size()) - pointPos;
  bool roundUp = false;
  if (scale > kMaxScale) {
    const long long drop = scale - kMaxScale;
    if (drop > static_cast<long long>(digits.size())) return Decimal(0, kMaxScale);
    const std::size_t keep = digits.size() - static_cast<std::size_t>(drop);
    roundUp = digits[keep] >= '5';
    digits.resize(keep);
    scale = kMaxScale;
  }
  const long long zeros = scale < 0 ? -scale : 0;
  if (static_cast<long long>(digits.size()) + zeros > 38) return std::nullopt;
  M m = 0;
  for (char c : digits) m = m * 10 + (c - '0');
  if (zeros > 0) m *= kPow10[static_cast<std::size_t>(zeros)];
  if (roundUp) ++m;
  if (!inRange(m)) return std::nullopt;
  return Decimal(neg ? -m : m, scale < 0 ? 0 : static_cast<int>(scale));
}

std::optional<Decimal> Decimal::fromDouble(double v) {
  if (v > -9.2e18 && v < 9.2e18 && v == static_cast<double>(static_cast<std::int64_t>(v)))
    return Decimal(static_cast<std::int64_t>(v), 0);
  // The fewest fractional digits that read back as v is its shortest form;
  // try a few scales with exact double arithmetic before formatting.
  static constexpr double kPowD[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  if (v > -1e9 && v < 1e9) {
    for (int s = 1; s <= 8; ++s) {
      const double scaled = v * kPowD[s];
      if (scaled > 4.5e15 || scaled < -4.5e15) break;  // integers stop being exact doubles
      const auto m = static_cast<std::int64_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5);
      if (static_cast<double>(m) / kPowD[s] == v) return Decimal(m, s);
    }
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  if (r.ec != std::errc()) return std::nullopt;
  return parse(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

int Decimal::significantDigits() const {
  if (m_ == 0) return 0;
  if (small(m_) && m_ != INT64_MIN) {
    auto a = static_cast<std::uint64_t>(m_ < 0 ? -static_cast<std::int64_t>(m_) : static_cast<std::int64_t>(m_));
    while (a % 10 == 0) a /= 10;
    return digitCount64(a);
  }
  M a = m_ < 0 ? -m_ : m_;
  while (a % 10 == 0) a /= 10;
  return digitCount(a);
}

int Decimal::integerDigits() const {
  if (small(m_) && m_ != INT64_MIN) {
    const auto a = static_cast<std::uint64_t>(m_ < 0 ? -static_cast<std::int64_t>(m_) : static_cast<std::int64_t>(m_)) /
                   static_cast<std::uint64_t>(kPow10_64[scale_]);
    return a == 0 ? 0 : digitCount64(a);
  }
  M a = (m_ < 0 ? -m_ : m_) / kPow10[scale_];
  return a == 0 ? 0 : digitCount(a);
}

std::string Decimal::toString() const {
  M a = m_ < 0 ? -m_ : m_;
  char buf[48];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(a % 10));
    a /= 10;
  } while (a != 0);
  while (n <= scale_) buf[n++] = '0';  // at least one digit before the point
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + 2);
  if (m_ < 0) out.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    out.push_back(buf[i]);
    if (i == scale_ && i != 0) out.push_back('.');
  }
  return out;
}

double Decimal::toDouble() const {
  static constexpr double kPowD[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                     1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
  constexpr M kExact = M(1) << 53;
  if (m_ < kExact && m_ > -kExact) {
    // Both operands are exact doubles, so the quotient is correctly rounded.
    return static_cast<double>(static_cast<std::int64_t>(m_)) / kPowD[scale_];
  }
  return std::strtod(toString().c_str(), nullptr);
}

std::optional<std::int64_t> Decimal::toInt64() const {
  if (scale_ == 0 && small(m_)) return static_cast<std::int64_t>(m_);
  if (small(m_)) {
    const auto m = static_cast<std::int64_t>(m_);
    if (m % kPow10_64[scale_] != 0) return std::nullopt;
    return m / kPow10_64[scale_];
  }
  const M p = kPow10[scale_];
  if (m_ % p != 0) return std::nullopt;
  const M v = m_ / p;
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<Decimal> Decimal::add(const Decimal& o) const {
  const int s = scale_ > o.scale_ ? scale_ : o.scale_;
  M a, b, r;
  if (!scaleUp(m_, s - scale_, a) || !scaleUp(o.m_, s - o.scale_, b) || __builtin_add_overflow(a, b, &r))
    return std::nullopt;
  return of(r, s);
}

std::optional<Decimal> Decimal::sub(const Decimal& o) const { return add(o.negate()); }

std::optional<Decimal> Decimal::mul(const Decimal& o) const {
  M r;
  if (__builtin_mul_overflow(m_, o.m_, &r)) return std::nullopt;
  int s = scale_ + o.scale_;
  if (s > kMaxScale) {
    r = divRound(r, kPow10[s - kMaxScale], RoundingMode::HalfUp);
    s = kMaxScale;
  }
  return of(r, s);
}

std::optional<Decimal> Decimal::div(const Decimal& o, int scale, RoundingMode mode) const {
  if (o.m_ == 0 || scale < 0 || scale > kMaxScale) return std::nullopt;
  // q * 10^scale = (m / 10^s1) / (om / 10^s2) * 10^scale = m * 10^(scale - s1 + s2) / om
  const int e = scale - scale_ + o.scale_;
  M num = m_, den = o.m_;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  if (e >= 0) {
    if (e > 38 || !scaleUp(num, e, num)) return std::nullopt;
  } else {
    if (-e > 38 || !scaleUp(den, -e, den)) return std::nullopt;
  }
  return of(divRound(num, den, mode), scale);
}

std::optional<Decimal> Decimal::round(int places, RoundingMode mode) const {
  if (places > kMaxScale || places < -38) return std::nullopt;
  if (places >= scale_) {
    M r;
    if (!scaleUp(m_, places - scale_, r)) return std::nullopt;
    return of(r, places);
  }
  if (places >= 0) return of(divRound(m_, kPow10[scale_ - places], mode), places);
  const int drop = scale_ - places;  // fractional digits plus |places| integer digits
  if (drop > 38) return Decimal(0, 0);
  M r;
  if (!scaleUp(divRound(m_, kPow10[drop], mode), -places, r)) return std::nullopt;
  return of(r, 0);
}

Decimal Decimal::stripTrailingZeros() const {
  if (small(m_)) {
    auto m = static_cast<std::int64_t>(m_);
    int s = scale_;
    while (s > 0 && m % 10 == 0) {
      m /= 10;
      --s;
    }
    return Decimal(m, s);
  }
  M m = m_;
  int s = scale_;
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    --s;
  }
  return Decimal(m, s);
}

int Decimal::compare(const Decimal& o) const {
  if (sign() != o.sign()) return sign() < o.sign() ? -1 : 1;
  const int s = scale_ > o.scale_ ? scale_ : o.scale_;
  M a, b;
  const bool aFits = scaleUp(m_, s - scale_, a), bFits = scaleUp(o.m_, s - o.scale_, b);
  if (!aFits || !bFits) {
    // Only the one that overflowed can be larger in magnitude.
    const int bigger = !aFits ? 1 : -1;
    return sign() < 0 ? -bigger : bigger;
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace hub

#pragma once
// Hashes, MACs and encodings used for content hashes, idempotency keys, API
// token storage and signature schemes (webhooks, ERP request signing).
#include <string>
#include <string_view>

namespace hub::digest {

std::string sha256(std::string_view data);       // raw 32 bytes
std::string sha1(std::string_view data);         // raw 20 bytes
std::string hmacSha256(std::string_view key, std::string_view message);  // raw 32 bytes
std::string hmacMd5(std::string_view key, std::string_view message);     // raw 16 bytes
std::string md5(std::string_view data);          // raw 16 bytes

std::string hex(std::string_view bytes);         // lowercase
std::string upperHex(std::string_view bytes);
std::string sha256Hex(std::string_view data);

std::string base64(std::string_view bytes);
// Accepts missing padding; returns false on characters outside the alphabet.
bool base64Decode(std::string_view text, std::string& out);

// Compares in time that depends only on the lengths, not on where bytes differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

// Cryptographically random bytes from OpenSSL.
std::string randomBytes(std::size_t n);

}  // namespace hub::digest

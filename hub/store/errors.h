#pragma once
// Failures of the store, whatever the backend. Callers decide by type, never
// by a backend's codes or texts:
//   StoreUnavailable  the step failed but may succeed later (busy or locked,
//                     disk full, I/O error, connection lost): fail the current
//                     run, request or batch, keep serving, try again;
//   StoreFault        it will not pass by itself (corrupt file, schema or
//                     permission problem, a statement the store refuses).
// A failed step kept nothing: every store operation is one transaction.
#include <stdexcept>
#include <string>

namespace hub::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual bool retryable() const = 0;
};

class StoreUnavailable final : public StoreError {
 public:
  using StoreError::StoreError;
  bool retryable() const override { return true; }
};

class StoreFault final : public StoreError {
 public:
  using StoreError::StoreError;
  bool retryable() const override { return false; }
};

}  // namespace hub::store

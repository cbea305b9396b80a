# Every dependency is a Debian package (deploy/install-deps.sh installs them).
find_package(Threads REQUIRED)

# Debian's PocoDataPostgreSQL package links a `PostgreSQL::client` target that
# nothing defines; provide it before Poco is searched.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()

find_package(Poco 1.11 REQUIRED COMPONENTS
  Foundation Util Net NetSSL Crypto Data DataSQLite DataPostgreSQL)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(pugixml REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(tl-expected REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(date REQUIRED)   # libhowardhinnant-date-dev: IANA zones via the OS tzdb
if(HUB_BUILD_TESTS OR HUB_BUILD_BENCHMARKS)   # the benchmarks reuse the tests' support library
  find_package(GTest REQUIRED)
endif()
if(HUB_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

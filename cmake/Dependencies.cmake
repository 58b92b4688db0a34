# Every dependency is a Debian 12 package (scripts/deps.sh installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(date REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
# rdkafka too: the group and offset queries use the C API (rd_kafka_list_groups).
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka++ rdkafka)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)

# Debian's SOCI 4.0.3 ships no CMake or pkg-config files.
find_library(SOCI_CORE_LIB soci_core REQUIRED)
find_library(SOCI_POSTGRESQL_LIB soci_postgresql REQUIRED)
find_library(SOCI_SQLITE3_LIB soci_sqlite3 REQUIRED)
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
add_library(soci INTERFACE)
target_include_directories(soci SYSTEM INTERFACE ${SOCI_INCLUDE_DIR} ${SOCI_INCLUDE_DIR}/soci
                                                 ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(soci INTERFACE ${SOCI_POSTGRESQL_LIB} ${SOCI_SQLITE3_LIB} ${SOCI_CORE_LIB}
                                     PostgreSQL::PostgreSQL SQLite::SQLite3 ${CMAKE_DL_LIBS})
if(JIRASYNC_SANITIZE)
  # Debian's libsoci exports no typeinfo for its internal classes, which UBSan's
  # vptr check references: every user of SOCI would fail to link.
  target_compile_options(soci INTERFACE -fno-sanitize=vptr)
endif()

# The Debian package: `cpack -G DEB` in the build tree packs what `cmake --install` installs, under /usr.
# Depends: comes from dpkg-shlibdeps on the binary: with the static Xen archives, only libc and
# whatever the summary lists as shared; none for a static-pie binary (FLB_STATIC_PIE).

set(FLB_PACKAGE_MAINTAINER "fixed-layout-build maintainers <maintainers@fixed-layout-build.invalid>"
  CACHE STRING "The Maintainer field of the Debian package")

# What only the package carries, added to cpack's staging tree by debian-extras.cmake: the licence,
# a changelog (dated at configure time, or from SOURCE_DATE_EPOCH) and the lintian overrides.
set(FLB_PACKAGING_DIR ${PROJECT_BINARY_DIR}/packaging)
file(WRITE ${FLB_PACKAGING_DIR}/copyright
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: ${PROJECT_NAME}\n\n"
  "Files: *\nCopyright: 2026 the ${PROJECT_NAME} authors\nLicense: GPL-2\n"
  " On Debian systems, the full text of the GNU General Public License version 2 is in\n"
  " /usr/share/common-licenses/GPL-2.\n")
string(TIMESTAMP FLB_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${FLB_PACKAGING_DIR}/changelog @ONLY)
execute_process(COMMAND ${FLB_GZIP} -9nf ${FLB_PACKAGING_DIR}/changelog COMMAND_ERROR_IS_FATAL ANY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/lintian-overrides ${FLB_PACKAGING_DIR}/lintian-overrides/${PROJECT_NAME}
  COPYONLY)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/debian-extras.cmake)
set(CPACK_PROJECT_CONFIG_FILE ${FLB_PACKAGING_DIR}/cpack-config.cmake)
file(WRITE ${FLB_PACKAGING_DIR}/cpack-config.cmake "set(FLB_PACKAGING_DIR \"${FLB_PACKAGING_DIR}\")\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${PROJECT_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${FLB_PACKAGE_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Xen PVH domain builder with a fixed, pre-mapped memory layout")
# The long description, after the summary line cpack puts first; "." is an empty line there.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "fixed-layout-build builds a Xen PVH guest whose shared info page and grant
table frames are mapped before it runs, at addresses its memory map announces
with their own types. A dry-run prints the memory map as text, JSON or an SVG
picture without touching Xen.
.
The package also holds a tiny PVH test guest and an example configuration that
boots it.")
include(CPack)

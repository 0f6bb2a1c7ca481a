# Run by cpack (CPACK_PRE_BUILD_SCRIPTS) on its staging tree (file(COPY): cpack sets DESTDIR, which
# file(INSTALL) would add again): what only the Debian package carries,
# the copyright file, the changelog and the lintian overrides, so that `cmake --install` leaves them out.
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
file(COPY "${FLB_PACKAGING_DIR}/copyright" "${FLB_PACKAGING_DIR}/changelog.gz"
  DESTINATION "${root}/share/doc/${CPACK_PACKAGE_NAME}")
file(COPY "${FLB_PACKAGING_DIR}/lintian-overrides/${CPACK_PACKAGE_NAME}"
  DESTINATION "${root}/share/lintian/overrides")

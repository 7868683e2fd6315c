/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-desk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kac-application.h"
#include "kac-tls.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KacApplication) app = NULL;
  const char *localedir;

  /* Before any thread or TLS connection exists (see kac-tls.h): no TLS 1.0 or 1.1. */
  kac_tls_require_tls12 ();

  /* KAC_LOCALEDIR lets a run from the build tree (tools/run, the tests) find the freshly
   * built translations instead of the installed ones. */
  localedir = g_getenv ("KAC_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kac_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

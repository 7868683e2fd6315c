/* test-tls.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's side of "TLS 1.2 at least": a SoupSession of a process that called
 * kac_tls_require_tls12() (as kac-desk's main() does) against `openssl s_server` limited to
 * one version. TLS 1.1 must fail the handshake, TLS 1.2 must work. Skipped when openssl
 * cannot serve TLS 1.1 any more.
 */
#define G_LOG_DOMAIN "test-tls"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <libsoup/soup.h>

#include "kac-test-central.h"
#include "kac-tls.h"

static char *pki_dir;

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* `openssl s_server -VERSION -www` on a free port; returns its pid. */
static GPid
start_s_server (const char *version,
                guint      *port)
{
  g_autofree char *accept = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  *port = free_port ();
  accept = g_strdup_printf ("127.0.0.1:%u", *port);
  {
    const char *argv[] = { "openssl", "s_server", version, "-cipher", "DEFAULT@SECLEVEL=0",
                           "-cert", KAC_TEST_PKI_LEAF, "-key", KAC_TEST_PKI_LEAF_KEY,
                           "-accept", accept, "-www", "-quiet", NULL };

    g_spawn_async (pki_dir, (char **) argv, NULL,
                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                   | G_SPAWN_STDERR_TO_DEV_NULL,
                   NULL, NULL, &pid, &error);
  }
  g_assert_no_error (error);

  /* Wait until it listens. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, accept, 0, NULL, NULL);

      if (connection != NULL)
        return pid;
      g_usleep (50 * 1000);
    }

  g_error ("openssl s_server %s did not start", version);
}

static void
stop_s_server (GPid pid)
{
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

static guint
get_status (guint    port,
            GError **error)
{
  g_autofree char *ca = g_build_filename (pki_dir, KAC_TEST_PKI_CA, NULL);
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database,
                                                                  "timeout", 10, NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = kac_test_send_and_read (session, msg, error);

  return body != NULL ? soup_message_get_status (msg) : 0;
}

static void
test_priority_set (void)
{
  const char *priority = g_getenv ("G_TLS_GNUTLS_PRIORITY");

  g_assert_nonnull (priority);
  g_assert_true (g_str_has_suffix (priority, KAC_TLS_PRIORITY_NO_OLD_VERSIONS));
  /* Twice is once. */
  g_assert_true (kac_tls_require_tls12 ());
  g_assert_cmpstr (g_getenv ("G_TLS_GNUTLS_PRIORITY"), ==, priority);
}

static void
test_client_refuses_tls11 (void)
{
  g_autoptr(GError) error = NULL;
  guint port;
  GPid pid = start_s_server ("-tls1_1", &port);
  guint status = get_status (port, &error);

  stop_s_server (pid);
  g_test_message ("TLS 1.1 server: %s", error != NULL ? error->message : "answered");
  g_assert_cmpuint (status, ==, 0);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_TLS_ERROR || error->domain == G_IO_ERROR);
}

static void
test_client_accepts_tls12 (void)
{
  g_autoptr(GError) error = NULL;
  guint port;
  GPid pid = start_s_server ("-tls1_2", &port);
  guint status = get_status (port, &error);

  stop_s_server (pid);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *help = NULL;
  g_autofree char *help_err = NULL;
  int status;

  /* As kac-desk's main() does, before anything else. */
  g_assert_true (kac_tls_require_tls12 ());

  g_test_init (&argc, &argv, NULL);

  if (!g_spawn_command_line_sync ("openssl s_server -help", &help, &help_err, NULL, NULL)
      || (strstr (help, "-tls1_1") == NULL && strstr (help_err, "-tls1_1") == NULL))
    {
      g_test_skip ("openssl s_server with -tls1_1 is needed");
      return 77;
    }

  pki_dir = kac_test_make_tmp_dir ("kac-tls-XXXXXX");
  kac_test_make_pki (pki_dir);

  g_test_add_func ("/tls/priority-set", test_priority_set);
  g_test_add_func ("/tls/client-refuses-tls1.1", test_client_refuses_tls11);
  g_test_add_func ("/tls/client-accepts-tls1.2", test_client_accepts_tls12);

  status = g_test_run ();
  kac_test_remove_tree (pki_dir);
  return status;
}

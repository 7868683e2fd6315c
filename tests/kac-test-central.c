/* kac-test-central.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-test-central"

#include "config.h"

#include "kac-test-central.h"

#include <glib/gstdio.h>

#include "kac-central-auth.h"

void
kac_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        kac_test_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

/* PKI */

static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

static void
make_ca (const char *dir,
         const char *name,
         const char *subject)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  const char * const args[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", pem, "-days", "2", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL
  };

  run_openssl (dir, args);
}

static void
make_pki (const char *dir)
{
  g_autofree char *ext = g_build_filename (dir, "leaf.ext", NULL);
  const char * const csr[] = {
    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost", NULL
  };
  const char * const sign[] = {
    "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext", NULL
  };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (ext,
                       "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                       "basicConstraints=CA:FALSE\n"
                       "keyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=serverAuth\n", -1, &error);
  g_assert_no_error (error);

  make_ca (dir, "ca", "/CN=KAC sync test CA");
  make_ca (dir, "other", "/CN=Somebody else's CA");
  run_openssl (dir, csr);
  run_openssl (dir, sign);
}

/* Central */

static void
add_user (KacCentralStore *store,
          const char      *username,
          const char      *password,
          KacCentralRole   role,
          const char      *centre,
          const char      *institution)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = kac_central_hash_password (password, &error);

  g_assert_no_error (error);
  kac_central_store_add_user (store, username, NULL, hash, role, centre, institution, &error);
  g_assert_no_error (error);
}

KacTestCentral *
kac_test_central_new (void)
{
  g_autoptr(KacTestCentral) central = g_new0 (KacTestCentral, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *key = NULL;

  /* Tests only: the cheapest Argon2id the server allows (see kac-central-auth.h). */
  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  kac_central_auth_init (&error);
  g_assert_no_error (error);

  central->dir = g_dir_make_tmp ("kac-sync-central-XXXXXX", &error);
  g_assert_no_error (error);
  make_pki (central->dir);
  central->ca_file = g_build_filename (central->dir, "ca.pem", NULL);
  central->other_ca_file = g_build_filename (central->dir, "other.pem", NULL);
  leaf = g_build_filename (central->dir, "leaf.pem", NULL);
  key = g_build_filename (central->dir, "leaf.key", NULL);
  central->certificate = g_tls_certificate_new_from_files (leaf, key, &error);
  g_assert_no_error (error);

  central->db_path = g_build_filename (central->dir, "central.db", NULL);
  central->store = kac_central_store_open (central->db_path, &error);
  g_assert_no_error (error);
  kac_central_store_add_centre (central->store, KAC_TEST_CENTRE, "Rīgas VPVKAC", KAC_CENTRE_KIND_NATIONAL, &error);
  g_assert_no_error (error);
  kac_central_store_add_centre (central->store, KAC_TEST_OTHER_CENTRE, "Cēsu VPVKAC", KAC_CENTRE_KIND_REGIONAL, &error);
  g_assert_no_error (error);
  add_user (central->store, KAC_TEST_CLERK, KAC_TEST_PASSWORD, KAC_CENTRAL_ROLE_CLERK, KAC_TEST_CENTRE, NULL);
  add_user (central->store, KAC_TEST_INSTITUTION, "vsaa-password", KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VSAA");

  kac_test_central_start (central);

  return g_steal_pointer (&central);
}

void
kac_test_central_start (KacTestCentral *central)
{
  g_autoptr(GError) error = NULL;
  GUri *uri;

  /* A server listens once; "bringing it back" is a new server on the same store and port. */
  g_assert_null (central->server);
  central->server = kac_central_server_new (central->store, NULL, &error);
  g_assert_no_error (error);
  kac_central_server_listen (central->server, central->certificate, "127.0.0.1", central->port, &error);
  g_assert_no_error (error);

  uri = kac_central_server_get_uri (central->server);
  g_assert_nonnull (uri);
  if (central->port == 0)
    {
      central->port = (guint) g_uri_get_port (uri);
      central->uri = g_strdup_printf ("https://127.0.0.1:%u/", central->port);
    }
  g_assert_cmpuint ((guint) g_uri_get_port (uri), ==, central->port);
}

void
kac_test_central_stop (KacTestCentral *central)
{
  kac_central_server_disconnect (central->server);
  g_clear_object (&central->server);
}

void
kac_test_central_free (KacTestCentral *central)
{
  if (central == NULL)
    return;

  if (central->server != NULL)
    {
      kac_central_server_disconnect (central->server);
      g_clear_object (&central->server);
    }
  g_clear_object (&central->store);
  /* Let the server's last callbacks run before its files go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&central->certificate);
  if (central->dir != NULL)
    kac_test_remove_tree (central->dir);
  g_free (central->dir);
  g_free (central->ca_file);
  g_free (central->other_ca_file);
  g_free (central->db_path);
  g_free (central->uri);
  g_free (central);
}

char *
kac_test_central_issue_token (KacTestCentral *central,
                              const char     *username,
                              GTimeSpan       lifetime)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) user = kac_central_store_lookup_user (central->store, username, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add (now, lifetime);
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  char *token = kac_central_new_token ();

  g_assert_no_error (error);
  g_assert_nonnull (user);
  kac_central_hash_token (token, hash);
  kac_central_store_add_token (central->store, hash, user->id, expires, &error);
  g_assert_no_error (error);

  return token;
}

void
kac_test_central_revoke_token (KacTestCentral *central,
                               const char     *token)
{
  g_autoptr(GError) error = NULL;
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  kac_central_hash_token (token, hash);
  kac_central_store_revoke_token (central->store, hash, &error);
  g_assert_no_error (error);
}

char *
kac_test_central_dup_number (KacTestCentral *central,
                             const char     *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralStoredRecord) stored = kac_central_store_find_record (central->store, uuid, &error);

  g_assert_no_error (error);

  return stored != NULL ? g_strdup (stored->central_number) : NULL;
}

KacRecord *
kac_test_make_application (const char *centre)
{
  return g_object_new (KAC_TYPE_RECORD,
                       "kind", KAC_RECORD_KIND_APPLICATION,
                       "service-code", "VSAA-01",
                       "institution-code", "VSAA",
                       "service-name", "Bērna kopšanas pabalsts",
                       "channel", KAC_CHANNEL_IN_PERSON,
                       "client-name", "Jānis Bērziņš",
                       "client-code", "161175-19997",
                       "clerk", KAC_TEST_CLERK,
                       "centre-id", centre,
                       NULL);
}

/* Main loop */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

gboolean
kac_test_wait_until (KacTestPredicate predicate,
                     gpointer         data,
                     guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  gboolean result;

  while (!(result = predicate (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return result;
}

void
kac_test_run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

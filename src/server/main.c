/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's command line: one GOptionContext per subcommand, so each has its own --help.
 * Exit status: 0 done, 1 failed, 2 wrong usage.
 */
#define G_LOG_DOMAIN "kac-central"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "kac-central-auth.h"
#include "kac-central-server.h"
#include "kac-central-store.h"
#include "kac-central-store-audit.h"
#include "kac-central-store-materials.h"
#include "kac-tls.h"

#define EXIT_USAGE 2

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;        /* "user add" */
  CommandFunc  func;
  const char  *summary;
} Command;

/* Helpers */

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("%s\n\n%s", message, help);
  return EXIT_USAGE;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, error->message);
      return FALSE;
    }

  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”."), (*argv)[1]);

      *status = usage_error (context, message);
      return FALSE;
    }

  return TRUE;
}

static int
fail (GError *error)
{
  g_printerr (_("kac-central: %s\n"), error->message);
  return EXIT_FAILURE;
}

/* The first line of @path, without its line end: a password given in a file does not show up
 * in the process list or the shell history. */
static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  char *end;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  end = strpbrk (contents, "\r\n");
  if (end != NULL)
    *end = '\0';

  if (*contents == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password file “%s” is empty."), path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

static KacCentralStore *
open_store (const char  *path,
            GError     **error)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no database “%s”. Create it with “kac-central init --db %s”."),
                   path, path);
      return NULL;
    }

  return kac_central_store_open (path, error);
}

/* Adds a user with a password from @password_file, or a generated one printed once. */
static gboolean
add_user (KacCentralStore  *store,
          const char       *username,
          const char       *display_name,
          KacCentralRole    role,
          const char       *centre,
          const char       *institution,
          const char       *password_file,
          GError          **error)
{
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;

  if (password_file != NULL)
    password = read_password_file (password_file, error);
  else
    password = kac_central_generate_password ();
  if (password == NULL)
    return FALSE;

  if (!(hash = kac_central_hash_password (password, error)))
    return FALSE;

  if (!kac_central_store_add_user (store, username, display_name, hash, role, centre,
                                   institution, error))
    return FALSE;

  if (password_file == NULL)
    /* Translators: shown once; the password is not stored anywhere in clear. */
    g_print (_("Password of “%s” (shown only now): %s\n"), username, password);

  memset (password, 0, strlen (password));
  return TRUE;
}

/* init */

static int
command_init (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *admin = NULL;
  int status = 0;
  gint64 n_users;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file to create"), N_("FILE") },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, N_("User name of the administrator (default: admin)"), N_("NAME") },
    { "admin-password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the administrator’s password from the first line of FILE instead of generating one"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Creates the central database and its first administrator."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL)
    return usage_error (context, _("Give the database file with --db."));

  if (!(store = kac_central_store_open (db, &error)))
    return fail (error);

  n_users = kac_central_store_count_users (store, &error);
  if (n_users < 0)
    return fail (error);
  if (n_users > 0)
    {
      g_printerr (_("kac-central: the database “%s” has users already; nothing was changed.\n"), db);
      return EXIT_FAILURE;
    }

  if (!add_user (store, admin != NULL ? admin : "admin", NULL, KAC_CENTRAL_ROLE_ADMIN, NULL, NULL,
                 password_file, &error))
    return fail (error);

  g_print (_("Created “%s”.\n"), db);
  return EXIT_SUCCESS;
}

/* centre add */

static int
command_centre_add (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind_name = NULL;
  KacCentreKind kind;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("The centre’s id, as terminals are configured with it"), N_("ID") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The centre’s name"), N_("NAME") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, N_("county, regional or national"), N_("KIND") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a client service centre."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || id == NULL || name == NULL || kind_name == NULL)
    return usage_error (context, _("Give --db, --id, --name and --kind."));
  if (!kac_centre_kind_from_string (kind_name, &kind))
    return usage_error (context, _("The kind must be county, regional or national."));

  if (!(store = open_store (db, &error))
      || !kac_central_store_add_centre (store, id, name, kind, &error))
    return fail (error);

  g_print (_("Added the centre “%s”.\n"), id);
  return EXIT_SUCCESS;
}

/* user add */

static int
command_user_add (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *username = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *centre = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *password_file = NULL;
  KacCentralRole role;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, N_("The user name to sign in with"), N_("NAME") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &display_name, N_("The person’s name"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, N_("clerk, manager, institution or admin"), N_("ROLE") },
    { "centre", 0, 0, G_OPTION_ARG_STRING, &centre, N_("The centre of a clerk or manager"), N_("ID") },
    { "institution", 0, 0, G_OPTION_ARG_STRING, &institution, N_("The institution of an institution user (e.g. VSAA)"), N_("CODE") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE instead of generating one"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a user. Clerks and managers belong to one centre, "
                                           "institution users to one institution."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || username == NULL || role_name == NULL)
    return usage_error (context, _("Give --db, --username and --role."));
  if (!kac_central_role_from_string (role_name, &role))
    return usage_error (context, _("The role must be clerk, manager, institution or admin."));

  if (!(store = open_store (db, &error))
      || !add_user (store, username, display_name, role, centre, institution, password_file, &error))
    return fail (error);

  g_print (_("Added the user “%s”.\n"), username);
  return EXIT_SUCCESS;
}

/* status set */

static int
command_status_set (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *db = NULL;
  g_autofree char *record = NULL;
  g_autofree char *status_name = NULL;
  g_autofree char *due_date = NULL;
  g_autofree char *note = NULL;
  g_autofree char *actor = NULL;
  KacApplicationStatus new_status;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "record", 0, 0, G_OPTION_ARG_STRING, &record, N_("The record’s central number (KAC-2026-000123) or UUID"), N_("ID") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_name, N_("forwarded or completed"), N_("STATUS") },
    { "due-date", 0, 0, G_OPTION_ARG_STRING, &due_date, N_("The date the answer is due"), N_("YYYY-MM-DD") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the audit trail"), N_("TEXT") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who makes the change, for the audit trail (default: your login name)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Moves an application to its next status "
                                           "(registered → forwarded → completed), with an audit row."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || record == NULL || status_name == NULL)
    return usage_error (context, _("Give --db, --record and --status."));
  if (!kac_application_status_from_string (status_name, &new_status))
    return usage_error (context, _("The status must be forwarded or completed."));
  if (due_date != NULL && !kac_wire_date_is_valid (due_date))
    return usage_error (context, _("The due date must be a date of the form YYYY-MM-DD."));

  if (actor == NULL)
    actor = g_strdup_printf ("%s (command line)", g_get_user_name ());

  if (!(store = open_store (db, &error))
      || !kac_central_store_set_status (store, record, new_status, due_date, note, NULL, actor,
                                        now, &error))
    return fail (error);

  g_print (_("“%s” is now %s.\n"), record, status_name);
  return EXIT_SUCCESS;
}

/* epoch new */

static int
command_epoch_new (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Starts a new history epoch. Run it after restoring the "
                                           "database from a backup: terminals then fetch all "
                                           "statuses again instead of trusting their old position."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL)
    return usage_error (context, _("Give the database file with --db."));

  if (!(store = open_store (db, &error)) || !kac_central_store_new_epoch (store, &error))
    return fail (error);

  g_print (_("New epoch: %s\n"), kac_central_store_get_epoch (store));
  return EXIT_SUCCESS;
}

/* audit list */

static int
command_audit_list (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) since_time = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *since = NULL;
  guint64 after_id = 0;
  gboolean more = FALSE;
  int limit = 100;
  int status = 0;
  GOptionEntry entries_options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since,
      N_("Entries after this entry number, or at or after this time (ISO 8601, e.g. 2026-03-02T09:00:00Z)"),
      N_("ID|TIME") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many entries, 1 to 1000 (default: 100)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the audit log, oldest first: registrations, status "
                                           "changes, sign-ins, failed sign-ins and sign-outs. Tab-"
                                           "separated columns: number, time (UTC), event, user, "
                                           "address, centre, institution, record, detail."));
  g_option_context_add_main_entries (context, entries_options, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL)
    return usage_error (context, _("Give the database file with --db."));
  if (limit < 1 || limit > KAC_CENTRAL_AUDIT_PAGE_MAX)
    return usage_error (context, _("The limit must be from 1 to 1000."));
  if (since != NULL && !g_ascii_string_to_unsigned (since, 10, 0, G_MAXINT64, &after_id, NULL)
      && (since_time = g_date_time_new_from_iso8601 (since, NULL)) == NULL)
    return usage_error (context, _("--since must be an entry number or a time like 2026-03-02T09:00:00Z."));

  if (!(store = open_store (db, &error))
      || !(entries = kac_central_store_list_audit (store, (gint64) after_id, since_time, (guint) limit,
                                                   &more, &error)))
    return fail (error);

  for (guint i = 0; i < entries->len; i++)
    {
      KacCentralAuditEntry *entry = g_ptr_array_index (entries, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", entry->id, entry->at,
               entry->event, entry->username ? entry->username : "-",
               entry->source ? entry->source : "-", entry->centre_id ? entry->centre_id : "-",
               entry->institution ? entry->institution : "-",
               entry->record_uuid ? entry->record_uuid : "-", entry->detail ? entry->detail : "-");
    }

  if (more)
    {
      KacCentralAuditEntry *last = g_ptr_array_index (entries, entries->len - 1);
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, last->id);

      /* Translators: %s is an entry number. */
      g_printerr (_("There are more entries: run again with --since %s.\n"), next);
    }

  return EXIT_SUCCESS;
}

/* material publish, material withdraw, notice add, notice withdraw
 *
 * What an institution does through the API, for operators and demos. Everything goes through
 * the same store functions as the API (versions, feed stamps, audit rows). */

static char *
default_actor (const char *actor)
{
  return actor != NULL ? g_strdup (actor) : g_strdup_printf ("%s (command line)", g_get_user_name ());
}

static int
command_material_publish (int    argc,
                          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KacWireMaterial) request = kac_wire_material_new ();
  g_autoptr(KacWireMaterial) material = NULL;
  g_autofree char *db = NULL;
  g_autofree char *id = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *body = NULL;
  g_autofree char *actor = NULL;
  g_auto(GStrv) services = NULL;
  g_auto(GStrv) attachments = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "institution", 0, 0, G_OPTION_ARG_STRING, &institution, N_("The publishing institution (VSAA, VID, …)"), N_("CODE") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The material’s title"), N_("TEXT") },
    { "service", 0, 0, G_OPTION_ARG_STRING_ARRAY, &services, N_("A service the material is about (repeat for several)"), N_("CODE") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("The text, in KAC Desk’s Markdown subset (UTF-8)"), N_("FILE") },
    { "attachment", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attachments, N_("A file to attach, e.g. a PDF (repeat for several)"), N_("FILE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("Publish a new version of this material instead of a new one"), N_("UUID") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who publishes, for the audit trail (default: your login name)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Publishes a methodological material, or with --id a new "
                                           "version of one. Terminals pull it with the next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || institution == NULL || title == NULL || services == NULL || body_file == NULL)
    return usage_error (context, _("Give --db, --institution, --title, at least one --service and --body-file."));

  if (!g_file_get_contents (body_file, &body, NULL, &error))
    return fail (error);
  if (!g_utf8_validate (body, -1, NULL))
    return usage_error (context, _("The body file is not UTF-8 text."));

  actor = default_actor (actor);
  if (!(store = open_store (db, &error)))
    return fail (error);

  for (guint i = 0; attachments != NULL && attachments[i] != NULL; i++)
    {
      g_autofree char *data = NULL;
      g_autofree char *guessed = NULL;
      g_autofree char *mime = NULL;
      g_autofree char *name = g_path_get_basename (attachments[i]);
      g_autofree char *sha256 = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;

      if (!g_file_get_contents (attachments[i], &data, &length, &error))
        return fail (error);
      guessed = g_content_type_guess (name, (const guchar *) data, length, NULL);
      mime = g_content_type_get_mime_type (guessed);
      bytes = g_bytes_new_take (g_steal_pointer (&data), length);
      if (!(sha256 = kac_central_store_put_attachment (store, bytes, mime != NULL ? mime : "application/octet-stream",
                                                       0, now, &error)))
        return fail (error);
      g_ptr_array_add (request->attachments, kac_wire_attachment_new (sha256, name, NULL, 0));
    }

  request->title = g_strdup (title);
  request->services = g_steal_pointer (&services);
  request->body = g_steal_pointer (&body);
  if (!(material = kac_central_store_publish_material (store, id, request, institution, 0, actor, now, &error)))
    return fail (error);

  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, material->version);

  g_print (_("Published material %s, version %s.\n"), material->id, version);
  return EXIT_SUCCESS;
}

static gboolean
parse_when (const char  *text,
            GDateTime  **when)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (text == NULL)
    return TRUE;
  *when = g_date_time_new_from_iso8601 (text, local);
  return *when != NULL;
}

/* "1=09:00-16:00": day 1 (Monday) … 7, from, to. */
static gboolean
parse_hours (const char   *text,
             KacWireHours *hours)
{
  guint day, from_h, from_m, to_h, to_m;
  char end;

  if (sscanf (text, "%u=%u:%u-%u:%u%c", &day, &from_h, &from_m, &to_h, &to_m, &end) != 5)
    return FALSE;
  if (day < 1 || day > 7 || from_h > 24 || to_h > 24 || from_m > 59 || to_m > 59)
    return FALSE;

  hours->day = day;
  hours->from_minute = from_h * 60 + from_m;
  hours->to_minute = to_h * 60 + to_m;
  return hours->to_minute > hours->from_minute && hours->to_minute <= 24 * 60;
}

static int
command_notice_add (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KacWireNotice) request = kac_wire_notice_new ();
  g_autoptr(KacWireNotice) notice = NULL;
  g_autofree char *db = NULL;
  g_autofree char *id = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *position = NULL;
  g_autofree char *name = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *note = NULL;
  g_autofree char *actor = NULL;
  g_auto(GStrv) centres = NULL;
  g_auto(GStrv) hours = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "institution", 0, 0, G_OPTION_ARG_STRING, &institution, N_("The institution sending the notice (VSAA, VID, …)"), N_("CODE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("specialist-assigned (needs --position, --name, --from), hours-changed (--from, --hours), "
         "absence (--from, --until) or substitution (the substitute’s --position and --name, --from, --until)"), N_("KIND") },
    { "centre", 0, 0, G_OPTION_ARG_STRING_ARRAY, &centres, N_("A centre the notice is for (repeat for several)"), N_("ID") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position, N_("The specialist’s position"), N_("TEXT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The specialist’s first name and surname"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("From when (ISO 8601; without an offset, this computer’s time zone)"), N_("TIME") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Until when (ISO 8601)"), N_("TIME") },
    { "hours", 0, 0, G_OPTION_ARG_STRING_ARRAY, &hours, N_("Reception hours of a weekday, 1 = Monday (repeat for each day)"), N_("DAY=HH:MM-HH:MM") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the clerks"), N_("TEXT") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("Publish a new version of this notice instead of a new one"), N_("UUID") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who sends it, for the audit trail (default: your login name)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sends a staff notice (MK 401 §19) to one or more centres, "
                                           "or with --id a new version of one."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || institution == NULL || kind == NULL || centres == NULL)
    return usage_error (context, _("Give --db, --institution, --kind and at least one --centre."));
  if (!kac_notice_kind_from_string (kind, &request->kind))
    return usage_error (context, _("The kind must be specialist-assigned, hours-changed, absence or substitution."));
  if (!parse_when (from, &request->starts_at))
    return usage_error (context, _("--from must be a time like 2026-03-02T09:00:00 or 2026-03-02T09:00:00+02:00."));
  if (!parse_when (until, &request->ends_at))
    return usage_error (context, _("--until must be a time like 2026-03-06T17:00:00 or 2026-03-06T17:00:00+02:00."));
  for (guint i = 0; hours != NULL && hours[i] != NULL; i++)
    {
      KacWireHours day;

      if (!parse_hours (hours[i], &day))
        return usage_error (context, _("--hours must be written like 1=09:00-16:00 (day 1 is Monday)."));
      g_array_append_val (request->hours, day);
    }

  request->centres = g_steal_pointer (&centres);
  request->position = g_steal_pointer (&position);
  request->name = g_steal_pointer (&name);
  request->note = g_steal_pointer (&note);
  if (!kac_wire_notice_validate (request, &error))
    return usage_error (context, error->message);

  actor = default_actor (actor);
  if (!(store = open_store (db, &error))
      || !(notice = kac_central_store_publish_notice (store, id, request, institution, 0, actor, now, &error)))
    return fail (error);

  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, notice->version);

  g_print (_("Sent notice %s, version %s.\n"), notice->id, version);
  return EXIT_SUCCESS;
}

static int
withdraw_item (int      argc,
               char   **argv,
               gboolean material)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *db = NULL;
  g_autofree char *id = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *actor = NULL;
  gboolean ok;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "institution", 0, 0, G_OPTION_ARG_STRING, &institution, N_("The institution that published it"), N_("CODE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("The item to withdraw"), N_("UUID") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who withdraws it, for the audit trail (default: your login name)"), N_("NAME") },
    { NULL }
  };

  g_option_context_set_summary (context, material ? _("Withdraws a methodological material: terminals remove it with the next sync.")
                                                   : _("Withdraws a staff notice: terminals remove it with the next sync."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL || institution == NULL || id == NULL)
    return usage_error (context, _("Give --db, --institution and --id."));

  actor = default_actor (actor);
  if (!(store = open_store (db, &error)))
    return fail (error);
  if (material)
    ok = kac_central_store_withdraw_material (store, id, institution, 0, actor, now, &error);
  else
    ok = kac_central_store_withdraw_notice (store, id, institution, 0, actor, now, &error);
  if (!ok)
    return fail (error);

  g_print (_("Withdrew %s.\n"), id);
  return EXIT_SUCCESS;
}

static int
command_material_withdraw (int    argc,
                           char **argv)
{
  return withdraw_item (argc, argv, TRUE);
}

static int
command_notice_withdraw (int    argc,
                         char **argv)
{
  return withdraw_item (argc, argv, FALSE);
}

/* serve */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(KacCentralStore) store = NULL;
  g_autoptr(KacCentralServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GBytes) catalog = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *db = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *address = NULL;
  g_autofree char *catalog_path = NULL;
  g_autofree char *calendar_path = NULL;
  g_autoptr(KacCalendar) calendar = NULL;
  g_autofree char *uri_text = NULL;
  gboolean insecure_http = FALSE;
  int port = 8443;
  int token_hours = 12;
  int status = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("The server certificate (PEM, with its chain)"), N_("PEM") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("The certificate’s private key (PEM)"), N_("PEM") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The IP address to listen on (default: 127.0.0.1)"), N_("ADDRESS") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port to listen on; 0 picks a free one (default: 8443)"), N_("PORT") },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path,
      N_("The service catalogue to serve and check records against (default: the sample catalogue)"), N_("FILE") },
    { "calendar", 0, 0, G_OPTION_ARG_FILENAME, &calendar_path,
      N_("The working-day calendar for due dates, in the format of data/calendar/lv-calendar.json "
         "(default: the one built in)"), N_("FILE") },
    { "token-hours", 0, 0, G_OPTION_ARG_INT, &token_hours, N_("How long a sign-in lasts (default: 12)"), N_("HOURS") },
    { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &insecure_http,
      N_("Serve plain HTTP instead of HTTPS (loopback addresses only; for demos and tests)"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Runs the central system’s HTTPS API until interrupted."));
  g_option_context_set_description (context,
                                    _("The first line written is “Listening on URI”. Environment: "
                                      "KAC_CENTRAL_PWHASH_COST=min lowers the password hashing cost "
                                      "(tests and demos only)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (db == NULL)
    return usage_error (context, _("Give the database file with --db."));
  if (insecure_http && (cert != NULL || key != NULL))
    return usage_error (context, _("Give either --insecure-http or --tls-cert and --tls-key, not both."));
  if (!insecure_http && (cert == NULL || key == NULL))
    return usage_error (context, _("Give --tls-cert and --tls-key (HTTPS), or --insecure-http on a loopback address."));
  if (port < 0 || port > 65535)
    return usage_error (context, _("The port must be from 0 to 65535."));
  if (token_hours < 1 || token_hours > 24 * 30)
    return usage_error (context, _("A sign-in lasts from 1 to 720 hours."));

  if (kac_central_auth_is_low_cost ())
    g_warning ("KAC_CENTRAL_PWHASH_COST=min: passwords are hashed at minimum cost; never use this in production");

  if (!insecure_http && !(certificate = g_tls_certificate_new_from_files (cert, key, &error)))
    return fail (error);

  if (catalog_path != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (catalog_path, &contents, &length, &error))
        return fail (error);
      catalog = g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  if (calendar_path != NULL)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;

      if (!g_file_get_contents (calendar_path, &contents, &length, &error))
        return fail (error);
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!(calendar = kac_calendar_new_from_bytes (bytes, &error)))
        return fail (error);
    }

  if (!(store = open_store (db, &error))
      || !(server = kac_central_server_new (store, catalog, &error)))
    return fail (error);
  if (calendar != NULL)
    kac_central_store_set_calendar (store, calendar);

  kac_central_server_set_token_lifetime (server, token_hours * G_TIME_SPAN_HOUR);
  if (!kac_central_server_listen (server, certificate, address != NULL ? address : "127.0.0.1",
                                  (guint) port, &error))
    return fail (error);

  uri = kac_central_server_get_uri (server);
  uri_text = g_uri_to_string (uri);
  g_print ("Listening on %s\n", uri_text);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  kac_central_server_disconnect (server);
  return EXIT_SUCCESS;
}

/* main */

static const Command commands[] = {
  { "init", command_init, N_("Create the database and an administrator") },
  { "serve", command_serve, N_("Run the HTTPS API") },
  { "centre add", command_centre_add, N_("Add a client service centre") },
  { "user add", command_user_add, N_("Add a user") },
  { "status set", command_status_set, N_("Move an application to its next status") },
  { "epoch new", command_epoch_new, N_("Start a new history epoch after a restore") },
  { "audit list", command_audit_list, N_("List the audit log (sign-ins, registrations, status changes)") },
  { "material publish", command_material_publish, N_("Publish a methodological material or a new version of one") },
  { "material withdraw", command_material_withdraw, N_("Withdraw a methodological material") },
  { "notice add", command_notice_add, N_("Send a staff notice to centres, or a new version of one") },
  { "notice withdraw", command_notice_withdraw, N_("Withdraw a staff notice") },
};

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: kac-central COMMAND [OPTION…]"));
  fprintf (stream, "%s\n\n", _("The reference central system of KAC Desk."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “kac-central COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  /* Before any thread or TLS connection exists (see kac-tls.h): no TLS 1.0 or 1.1. */
  kac_tls_require_tls12 ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_help (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_SUCCESS;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("kac-central %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (!kac_central_auth_init (&error))
    return fail (error);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(GStrv) words = g_strsplit (commands[i].name, " ", -1);
      guint n_words = g_strv_length (words);
      gboolean match = (guint) argc > n_words;
      g_autofree char *prgname = NULL;

      for (guint w = 0; match && w < n_words; w++)
        match = g_str_equal (argv[1 + w], words[w]);
      if (!match)
        continue;

      /* The subcommand's words become its program name, so its --help reads
       * "kac-central user add [OPTION…]" and its options start at argv[1]. */
      prgname = g_strconcat ("kac-central ", commands[i].name, NULL);
      g_set_prgname (prgname);
      argv[n_words] = argv[0];
      return commands[i].func (argc - n_words, argv + n_words);
    }

  g_printerr (_("kac-central: unknown command “%s”.\n\n"), argv[1]);
  print_help (stderr);
  return EXIT_USAGE;
}

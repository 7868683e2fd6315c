/* test-sync-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk window with the central system: a real kac-central over HTTPS on 127.0.0.1 (a test
 * CA made with openssl, tests/kac-test-central.c), a real Secret Service (gnome-keyring-daemon
 * started by tests/with-keyring.sh on a private D-Bus session) and the real window under Xvfb.
 * The clerk's steps are driven through the widgets: the sign-in dialog's rows and its action,
 * the form and its save action, the queue row's buttons, "Sync now". Screenshots of each state
 * go to <build>/tests/screenshots/sync-*-<language>.png (run with --language=lv for Latvian).
 */
#define G_LOG_DOMAIN "test-sync-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "kac-application.h"
#include "kac-preferences-window.h"
#include "kac-queue-page.h"
#include "kac-queue-row.h"
#include "kac-register-page.h"
#include "kac-sign-in-dialog.h"
#include "kac-store.h"
#include "kac-sync-indicator.h"
#include "kac-test-central.h"
#include "kac-test-gui.h"
#include "kac-token-store.h"
#include "kac-window.h"
#include "kac-window-private.h"

#define VALID_CODE "161175-19997"
#define WAIT_MS    20000

static char *tmp_dir;
static KacApplication *app;
static KacWindow *window;
static GSettings *settings;
static KacTestCentral *central;
/* Saved with the wrong centre before anyone signed in: the server refuses it. */
static char *wrong_centre_uuid;
static char *accepted_uuid;

/* Helpers */

static gboolean
wait_until (KacTestPredicate predicate,
            gpointer         data)
{
  return kac_test_wait_until (predicate, data, WAIT_MS);
}

static KacStore *
get_store (void)
{
  return kac_application_get_store (app);
}

static KacSyncEngine *
get_engine (void)
{
  return kac_application_get_sync_engine (app);
}

static KacSyncIndicator *
get_indicator (void)
{
  return kac_test_gui_child (window, KAC_TYPE_WINDOW, "sync_indicator");
}

static const char *
indicator_label (void)
{
  return kac_sync_indicator_get_label (get_indicator ());
}

static KacRegisterPage *
get_register_page (void)
{
  return kac_test_gui_child (window, KAC_TYPE_WINDOW, "register_page");
}

static gpointer
page_child (const char *name)
{
  return kac_test_gui_child (get_register_page (), KAC_TYPE_REGISTER_PAGE, name);
}

static const char *
visible_page (void)
{
  return adw_view_stack_get_visible_child_name (kac_test_gui_child (window, KAC_TYPE_WINDOW, "view_stack"));
}

static gboolean
action_enabled (const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (app), name);
}

static void
screenshot_popover (const char *name)
{
  GtkWidget *popover = kac_test_gui_child (get_indicator (), KAC_TYPE_SYNC_INDICATOR, "popover");

  /* Another test's window on the same display may take the focus, which closes an autohiding
   * popover before it is drawn. */
  gtk_popover_set_autohide (GTK_POPOVER (popover), FALSE);
  kac_sync_indicator_popup (get_indicator ());
  kac_test_run_for (400);
  {
    g_autofree char *file_name = g_strconcat ("sync-", name, NULL);

    kac_test_gui_save_screenshot (popover, file_name);
  }
  kac_sync_indicator_popdown (get_indicator ());
  gtk_popover_set_autohide (GTK_POPOVER (popover), TRUE);
  kac_test_run_for (200);
}

static KacRecord *
lookup_record (const char *uuid)
{
  g_autoptr(GError) error = NULL;
  KacRecord *record = kac_store_lookup_record (get_store (), uuid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);

  return record;
}

static KacRecordState
record_state (const char *uuid)
{
  g_autoptr(KacRecord) record = lookup_record (uuid);

  return kac_record_get_state (record);
}

/* Fills the form the way a clerk does and saves with the action Ctrl+Enter triggers; returns
 * the new record's UUID, from the toast's Undo action. */
static char *
register_application (void)
{
  GtkSearchEntry *entry = page_child ("service_entry");
  guint before = g_list_model_get_n_items (kac_store_get_records (get_store ()));
  AdwToast *toast;

  kac_test_gui_show_page (window, "register");
  adw_combo_row_set_selected (page_child ("kind_row"), KAC_RECORD_KIND_APPLICATION);
  gtk_editable_set_text (GTK_EDITABLE (entry), "berna kopsanas");
  g_signal_emit_by_name (entry, "activate");
  gtk_editable_set_text (page_child ("client_name_row"), "Anna Bērziņa");
  gtk_editable_set_text (page_child ("client_code_row"), VALID_CODE);
  gtk_widget_activate_action (GTK_WIDGET (get_register_page ()), "register.save", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (kac_store_get_records (get_store ())), ==, before + 1);

  toast = _kac_window_get_last_toast (window);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "window.undo-save");

  return g_variant_dup_string (adw_toast_get_action_target_value (toast), NULL);
}

static KacQueueRow *
get_queue_row (const char *uuid)
{
  KacQueueRow *row;

  kac_test_gui_show_page (window, "queue");
  kac_test_run_for (300);
  row = kac_test_gui_find_queue_row (GTK_WIDGET (kac_test_gui_child (window, KAC_TYPE_WINDOW, "queue_page")), uuid);
  g_assert_nonnull (row);

  return row;
}

/* The token the keyring holds for the test server and clerk, or NULL. */
static char *
keyring_token (void)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  char *token;

  secret = secret_password_lookup_sync (kac_token_store_get_schema (), NULL, &error,
                                        "server", central->uri,
                                        "username", KAC_TEST_CLERK,
                                        NULL);
  g_assert_no_error (error);
  token = g_strdup (secret);
  secret_password_free (secret);

  return token;
}

static gboolean
keyring_holds_engine_token (gpointer data)
{
  g_autofree char *token = keyring_token ();

  return token != NULL && get_engine () != NULL &&
         g_strcmp0 (token, kac_sync_engine_get_token (get_engine ())) == 0;
}

static gboolean
keyring_is_empty (gpointer data)
{
  g_autofree char *token = keyring_token ();

  return token == NULL;
}

static char *
synced_label (void)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (kac_sync_engine_get_last_sync (get_engine ()));
  g_autofree char *time = g_date_time_format (local, "%H:%M");

  return g_strdup_printf (_("Synced at %s"), time);
}

static void
assert_setting (const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_on_server (const char *uuid)
{
  g_autofree char *number = kac_test_central_dup_number (central, uuid);

  g_assert_nonnull (number);
}

/* Predicates */

static gboolean
dialog_idle (gpointer data)
{
  return !kac_sign_in_dialog_is_busy (data);
}

static gboolean
dialog_gone (gpointer data)
{
  return _kac_window_get_sign_in_dialog (window) == NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return _kac_window_get_sign_in_dialog (window) != NULL;
}

static gboolean
record_is (gpointer data)
{
  const char *uuid = ((gpointer *) data)[0];
  KacRecordState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return record_state (uuid) == state;
}

static void
wait_for_record_state (const char     *uuid,
                       KacRecordState  state)
{
  gpointer data[2] = { (gpointer) uuid, GINT_TO_POINTER (state) };

  g_assert_true (wait_until (record_is, data));
}

static gboolean
engine_in_state (gpointer data)
{
  return get_engine () != NULL && kac_sync_engine_get_state (get_engine ()) == (KacSyncState) GPOINTER_TO_INT (data);
}

static gboolean
drained (gpointer data)
{
  KacSyncEngine *engine = get_engine ();

  return engine != NULL && kac_sync_engine_get_state (engine) == KAC_SYNC_STATE_IDLE &&
         kac_sync_engine_get_n_pending (engine) == 0;
}

static gboolean
spinning (gpointer data)
{
  return kac_sync_indicator_is_spinning (get_indicator ());
}

static gboolean
has_token (gpointer data)
{
  return get_engine () != NULL && kac_sync_engine_get_token (get_engine ()) != NULL;
}

static gboolean
status_is (gpointer data)
{
  KacApplicationStatus status;

  return kac_store_lookup_application_status (get_store (), accepted_uuid, &status, NULL, NULL, NULL) &&
         status == (KacApplicationStatus) GPOINTER_TO_INT (data);
}

/* The sign-in dialog */

static KacSignInDialog *
open_sign_in (void)
{
  KacSignInDialog *dialog;

  g_assert_true (action_enabled ("sign-in"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  dialog = _kac_window_get_sign_in_dialog (window);
  g_assert_nonnull (dialog);
  kac_test_run_for (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  return dialog;
}

static void
fill_sign_in (KacSignInDialog *dialog,
              const char      *server,
              const char      *username,
              const char      *password)
{
  gtk_editable_set_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "server_row"), server);
  gtk_editable_set_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "username_row"), username);
  gtk_editable_set_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "password_row"), password);
}

/* Presses "Sign In" (what Enter in any row does) and waits for the answer. */
static void
submit_sign_in (KacSignInDialog *dialog)
{
  g_object_ref (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL);
  g_assert_true (wait_until (dialog_idle, dialog));
  g_object_unref (dialog);
}

static void
assert_sign_in_error (KacSignInDialog *dialog,
                      const char      *field,
                      const char      *message)
{
  GtkLabel *label = kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "error_label");

  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "error_box")));
  g_assert_cmpstr (gtk_label_get_label (label), ==, message);
  if (field != NULL)
    {
      GtkWidget *row = kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, field);
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

      g_assert_true (gtk_widget_has_css_class (row, "error"));
      gtk_test_accessible_assert_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                        GTK_ACCESSIBLE_INVALID_TRUE);
      g_assert_true (focus != NULL && (focus == row || gtk_widget_is_ancestor (focus, row)));
    }
  /* Still open: the clerk corrects and tries again. */
  g_assert_true (_kac_window_get_sign_in_dialog (window) == dialog);
}

static void
sign_in_with_password (void)
{
  KacSignInDialog *dialog = open_sign_in ();

  /* The address and the user name are remembered. */
  g_assert_cmpstr (gtk_editable_get_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "server_row")),
                   ==, central->uri);
  g_assert_cmpstr (gtk_editable_get_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "username_row")),
                   ==, KAC_TEST_CLERK);
  gtk_editable_set_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "password_row"), KAC_TEST_PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL);
  g_assert_true (wait_until (dialog_gone, NULL));
  g_assert_true (has_token (NULL));
}

/* Tests */

static void
test_not_connected (void)
{
  KacSyncIndicator *indicator = get_indicator ();

  g_assert_null (get_engine ());
  g_assert_cmpstr (indicator_label (), ==, _("Not connected to a central system"));
  g_assert_true (action_enabled ("sign-in"));
  g_assert_false (action_enabled ("sign-out"));
  g_assert_false (action_enabled ("sync-now"));
  {
    g_autofree char *name = g_strdup_printf (_("Sync status: %s"), _("Not connected to a central system"));

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (kac_test_gui_child (indicator, KAC_TYPE_SYNC_INDICATOR,
                                                                             "menu_button")),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  }

  /* Registering does not need the central system. The centre set here is not the clerk's
   * centre on the server: it will refuse this one. */
  wrong_centre_uuid = register_application ();
  g_assert_cmpint (record_state (wrong_centre_uuid), ==, KAC_RECORD_STATE_QUEUED);

  kac_sync_indicator_popup (indicator);
  kac_test_run_for (300);
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (indicator, KAC_TYPE_SYNC_INDICATOR,
                                                             "preferences_button")));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (indicator, KAC_TYPE_SYNC_INDICATOR, "sign_in_button")));
  g_assert_false (gtk_widget_get_visible (kac_test_gui_child (indicator, KAC_TYPE_SYNC_INDICATOR,
                                                              "sync_now_button")));
  kac_sync_indicator_popdown (indicator);
  screenshot_popover ("not-connected-popover");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "sync-not-connected");
}

static void
test_sign_in_errors (void)
{
  KacSignInDialog *dialog = open_sign_in ();

  /* Plain http to another computer is refused before anything is sent. */
  fill_sign_in (dialog, "http://central.example.lv/", KAC_TEST_CLERK, KAC_TEST_PASSWORD);
  submit_sign_in (dialog);
  assert_sign_in_error (dialog, "server_row",
                        _("The address must begin with https://: the connection to the central system is always encrypted. Plain http:// is accepted only for this computer."));

  /* Nothing listens there. The spinner turns while the request is on its way. */
  fill_sign_in (dialog, "https://127.0.0.1:1/", KAC_TEST_CLERK, KAC_TEST_PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL);
  g_assert_true (kac_sign_in_dialog_is_busy (dialog));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "spinner")));
  g_assert_true (wait_until (dialog_idle, dialog));
  g_assert_false (gtk_widget_get_visible (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "spinner")));
  assert_sign_in_error (dialog, "server_row",
                        _("The central system cannot be reached at this address. Check the address and the network connection, or try again later. Registrations keep being saved meanwhile."));

  /* The test CA is no system CA: the certificate is not trusted until the CA file is set. */
  fill_sign_in (dialog, central->uri, KAC_TEST_CLERK, KAC_TEST_PASSWORD);
  submit_sign_in (dialog);
  assert_sign_in_error (dialog, "server_row",
                        _("The central system’s certificate is not trusted, so nothing was sent. Check the address; if your organisation uses its own certificate authority, set its file in Preferences → Central system."));
  kac_test_gui_save_screenshot (GTK_WIDGET (dialog), "sync-sign-in-untrusted");

  /* The administrator's CA file, as Preferences would set it. */
  g_settings_set_string (settings, "ca-file", central->ca_file);

  fill_sign_in (dialog, central->uri, KAC_TEST_CLERK, "not the password");
  submit_sign_in (dialog);
  assert_sign_in_error (dialog, "password_row",
                        _("The user name or the password is wrong. Check them (is Caps Lock on?) and try again."));
  g_assert_cmpstr (gtk_editable_get_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "password_row")),
                   ==, "");
  kac_test_gui_save_screenshot (GTK_WIDGET (dialog), "sync-sign-in-wrong-password");

  /* Nothing of this signed anybody in or changed the settings. */
  g_assert_null (get_engine ());
  g_assert_true (keyring_is_empty (NULL));
  assert_setting ("server-url", "");
  assert_setting ("username", "");
}

static void
test_sign_in (void)
{
  KacSignInDialog *dialog = _kac_window_get_sign_in_dialog (window);
  g_autoptr(KacRecord) record = NULL;
  g_autofree char *expected = NULL;
  KacQueueRow *row;

  g_assert_nonnull (dialog);
  gtk_editable_set_text (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "password_row"), KAC_TEST_PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL);
  g_assert_true (wait_until (dialog_gone, NULL));

  /* Remembered: the address and the user in the settings, with the centre the central
   * system gave; the token in the keyring and nowhere else. */
  g_assert_nonnull (get_engine ());
  g_assert_nonnull (kac_sync_engine_get_token (get_engine ()));
  assert_setting ("server-url", central->uri);
  assert_setting ("username", KAC_TEST_CLERK);
  assert_setting ("centre-id", KAC_TEST_CENTRE);
  assert_setting ("centre-name", "Rīgas VPVKAC");
  g_assert_true (wait_until (keyring_holds_engine_token, NULL));
  g_assert_true (action_enabled ("sign-out"));
  g_assert_true (action_enabled ("sync-now"));
  g_assert_false (action_enabled ("sign-in"));

  /* What waited went out at once; the server refused it for its centre, with a reason. */
  wait_for_record_state (wrong_centre_uuid, KAC_RECORD_STATE_REJECTED);
  g_assert_true (wait_until (drained, NULL));
  g_assert_cmpuint (kac_sync_engine_get_n_rejected (get_engine ()), ==, 1);
  expected = g_strdup_printf (ngettext ("%u rejected", "%u rejected", 1), 1);
  g_assert_cmpstr (indicator_label (), ==, expected);
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));

  record = lookup_record (wrong_centre_uuid);
  g_assert_nonnull (kac_record_get_state_detail (record));
  row = get_queue_row (wrong_centre_uuid);
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "state_detail_label")),
                            kac_record_get_state_detail (record)));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_correct_button")));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_withdraw_button")));
  g_assert_null (kac_test_central_dup_number (central, wrong_centre_uuid));
  screenshot_popover ("rejected-popover");
}

static void
test_accepted (void)
{
  g_autoptr(KacRecord) record = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  const char *central_text;
  KacQueueRow *row;

  /* Saved as always; sent at once because the desk is online and signed in. */
  accepted_uuid = register_application ();
  wait_for_record_state (accepted_uuid, KAC_RECORD_STATE_ACCEPTED);
  number = kac_test_central_dup_number (central, accepted_uuid);
  g_assert_nonnull (number);
  record = lookup_record (accepted_uuid);
  g_assert_cmpstr (kac_record_get_central_number (record), ==, number);

  /* The institution forwards it; "Sync now" (Ctrl+R) brings the new status. */
  g_assert_true (kac_central_store_set_status (central->store, accepted_uuid, KAC_APPLICATION_STATUS_FORWARDED,
                                               "2099-12-01", NULL, NULL, "test", now, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  g_assert_true (wait_until (status_is, GINT_TO_POINTER (KAC_APPLICATION_STATUS_FORWARDED)));
  g_assert_true (wait_until (drained, NULL));

  row = get_queue_row (accepted_uuid);
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "central_label")));
  central_text = gtk_label_get_label (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "central_label"));
  g_assert_nonnull (strstr (central_text, number));
  g_assert_nonnull (strstr (central_text, kac_application_status_get_label (KAC_APPLICATION_STATUS_FORWARDED)));
  g_assert_nonnull (strstr (central_text, "01.12.2099"));
  g_assert_false (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_box")));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "sync-queue");
}

static void
test_correct_rejected (void)
{
  KacQueueRow *row = get_queue_row (wrong_centre_uuid);
  g_autofree char *synced = NULL;
  g_autofree char *number = NULL;

  /* "Correct…" on the refused row opens it in the form; saving sends it again. */
  g_signal_emit_by_name (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_correct_button"), "clicked");
  g_assert_cmpstr (visible_page (), ==, "register");
  g_assert_true (kac_register_page_is_correcting (get_register_page ()));
  gtk_widget_activate_action (GTK_WIDGET (get_register_page ()), "register.save", NULL);
  g_assert_cmpstr (visible_page (), ==, "queue");

  wait_for_record_state (wrong_centre_uuid, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  number = kac_test_central_dup_number (central, wrong_centre_uuid);
  g_assert_nonnull (number);
  g_assert_cmpuint (kac_sync_engine_get_n_rejected (get_engine ()), ==, 0);

  synced = synced_label ();
  g_assert_cmpstr (indicator_label (), ==, synced);
  row = get_queue_row (wrong_centre_uuid);
  g_assert_false (gtk_widget_get_visible (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "rejected_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (kac_test_gui_child (row, KAC_TYPE_QUEUE_ROW, "central_label")),
                            number));
  screenshot_popover ("synced-popover");
}

static void
test_spinner (void)
{
  g_autofree char *uuid = NULL;
  g_autofree char *uuid2 = NULL;
  g_autofree char *failed = NULL;

  /* A slow answer: the spinner comes after a moment and goes with the answer. */
  kac_central_server_inject_fault (central->server, KAC_CENTRAL_FAULT_DELAY, 1, 3000);
  uuid = register_application ();
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));
  g_assert_true (wait_until (spinning, NULL));
  g_assert_cmpstr (indicator_label (), ==, _("Sending…"));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "sync-sending");
  wait_for_record_state (uuid, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));

  /* A garbage answer: "sending failed", no spinner left; the engine tries again by itself. */
  kac_central_server_inject_fault (central->server, KAC_CENTRAL_FAULT_GARBAGE, 1, 0);
  uuid2 = register_application ();
  g_assert_true (wait_until (engine_in_state, GINT_TO_POINTER (KAC_SYNC_STATE_ERROR)));
  failed = g_strdup_printf (ngettext ("Sending failed — %u waiting", "Sending failed — %u waiting", 1), 1);
  g_assert_cmpstr (indicator_label (), ==, failed);
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));
  wait_for_record_state (uuid2, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
}

static void
test_offline (void)
{
  g_autofree char *uuid1 = NULL;
  g_autofree char *uuid2 = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *synced = NULL;

  kac_test_central_stop (central);

  uuid1 = register_application ();
  uuid2 = register_application ();
  g_assert_true (wait_until (engine_in_state, GINT_TO_POINTER (KAC_SYNC_STATE_OFFLINE)));
  kac_test_run_for (200);
  g_assert_cmpuint (kac_sync_engine_get_n_pending (get_engine ()), ==, 2);
  offline = g_strdup_printf (ngettext ("Offline — %u waiting", "Offline — %u waiting", 2), 2);
  g_assert_cmpstr (indicator_label (), ==, offline);
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));
  g_assert_nonnull (kac_sync_engine_get_last_error (get_engine ()));
  screenshot_popover ("offline-popover");
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "sync-offline");

  /* The server is back; "Sync now" sends both without waiting for the backoff. */
  kac_test_central_start (central);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  wait_for_record_state (uuid1, KAC_RECORD_STATE_ACCEPTED);
  wait_for_record_state (uuid2, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  synced = synced_label ();
  g_assert_cmpstr (indicator_label (), ==, synced);
  assert_on_server (uuid1);
  assert_on_server (uuid2);
}

static void
test_token_revoked (void)
{
  g_autofree char *uuid1 = NULL;
  g_autofree char *uuid2 = NULL;
  g_autofree char *needed = NULL;
  KacSignInDialog *dialog;

  kac_test_central_revoke_token (central, kac_sync_engine_get_token (get_engine ()));

  /* The next send meets 401: the desk asks to sign in, once, and keeps the registration. */
  uuid1 = register_application ();
  g_assert_true (wait_until (dialog_shown, NULL));
  dialog = _kac_window_get_sign_in_dialog (window);
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "reason_box")));
  g_assert_cmpstr (gtk_label_get_label (kac_test_gui_child (dialog, KAC_TYPE_SIGN_IN_DIALOG, "reason_label")), ==,
                   _("The central system no longer accepts your sign-in: it expired or was revoked. Sign in again to send the registrations that wait; none of them is lost."));
  g_assert_cmpint (kac_sync_engine_get_state (get_engine ()), ==, KAC_SYNC_STATE_AUTH_NEEDED);
  g_assert_cmpint (record_state (uuid1), ==, KAC_RECORD_STATE_QUEUED);
  kac_test_gui_save_screenshot (GTK_WIDGET (dialog), "sync-sign-in-expired");

  /* The clerk is busy with a client: closes it and goes on registering. */
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_until (dialog_gone, NULL));
  uuid2 = register_application ();
  kac_test_run_for (500);
  g_assert_null (_kac_window_get_sign_in_dialog (window));
  g_assert_cmpuint (kac_sync_engine_get_n_pending (get_engine ()), ==, 2);
  needed = g_strdup_printf (ngettext ("Sign-in needed — %u waiting", "Sign-in needed — %u waiting", 2), 2);
  g_assert_cmpstr (indicator_label (), ==, needed);
  g_assert_true (action_enabled ("sign-in"));
  kac_test_gui_save_screenshot (GTK_WIDGET (window), "sync-sign-in-needed");
  screenshot_popover ("sign-in-needed-popover");

  /* Signed in again from the menu: both go, nothing was lost. */
  sign_in_with_password ();
  wait_for_record_state (uuid1, KAC_RECORD_STATE_ACCEPTED);
  wait_for_record_state (uuid2, KAC_RECORD_STATE_ACCEPTED);
  g_assert_true (wait_until (drained, NULL));
  assert_on_server (uuid1);
  assert_on_server (uuid2);
  g_assert_true (wait_until (keyring_holds_engine_token, NULL));
}

static void
test_sign_out_and_restore (void)
{
  g_autofree char *token = NULL;

  /* Signing out forgets the token here and in the keyring, and does not ask to sign in. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_null (kac_sync_engine_get_token (get_engine ()));
  g_assert_true (wait_until (keyring_is_empty, NULL));
  kac_test_run_for (300);
  g_assert_null (_kac_window_get_sign_in_dialog (window));
  g_assert_cmpstr (indicator_label (), ==, _("Sign-in needed"));
  g_assert_true (action_enabled ("sign-in"));
  g_assert_false (action_enabled ("sign-out"));
  /* The user name stays for the next sign-in. */
  assert_setting ("username", KAC_TEST_CLERK);

  sign_in_with_password ();
  g_assert_true (wait_until (keyring_holds_engine_token, NULL));
  token = g_strdup (kac_sync_engine_get_token (get_engine ()));

  /* No central system, then the same one again: the sign-in comes back from the keyring. */
  g_settings_set_string (settings, "server-url", "");
  g_assert_null (get_engine ());
  g_assert_cmpstr (indicator_label (), ==, _("Not connected to a central system"));
  g_settings_set_string (settings, "server-url", central->uri);
  g_assert_nonnull (get_engine ());
  g_assert_true (wait_until (has_token, NULL));
  g_assert_cmpstr (kac_sync_engine_get_token (get_engine ()), ==, token);
  g_assert_false (kac_application_get_restoring_sign_in (app));
  g_assert_true (wait_until (drained, NULL));
}

static void
test_untrusted (void)
{
  /* Somebody else's CA: the engine stops and says why, instead of retrying blindly. */
  g_settings_set_string (settings, "ca-file", central->other_ca_file);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync-now", NULL);
  g_assert_true (wait_until (engine_in_state, GINT_TO_POINTER (KAC_SYNC_STATE_TLS_ERROR)));
  g_assert_cmpstr (indicator_label (), ==, _("Certificate not trusted"));
  g_assert_false (kac_sync_indicator_is_spinning (get_indicator ()));
  screenshot_popover ("untrusted-popover");
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (get_indicator (), KAC_TYPE_SYNC_INDICATOR,
                                                             "preferences_button")));

  g_settings_set_string (settings, "ca-file", central->ca_file);
  g_assert_true (wait_until (drained, NULL));
}

static void
test_preferences (void)
{
  KacPreferencesWindow *prefs = kac_preferences_window_new (GTK_WINDOW (window));
  AdwEntryRow *server_row;
  AdwActionRow *ca_row;

  gtk_window_present (GTK_WINDOW (prefs));
  kac_test_run_for (300);
  server_row = kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW, "server_url_row");
  ca_row = kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW, "ca_file_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (server_row)), ==, central->uri);
  g_assert_cmpstr (adw_action_row_get_subtitle (ca_row), ==, central->ca_file);

  /* Plain http to another computer is not applied. */
  gtk_editable_set_text (GTK_EDITABLE (server_row), "http://central.example.lv/");
  g_signal_emit_by_name (server_row, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (server_row), "error"));
  g_assert_true (gtk_widget_get_visible (kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW,
                                                             "central_error_label")));
  g_assert_cmpstr (gtk_label_get_label (kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW,
                                                            "central_error_label")), ==,
                   _("The address must begin with https://: the connection to the central system is always encrypted. Plain http:// is accepted only for this computer."));
  assert_setting ("server-url", central->uri);
  /* The group in view, with the message. */
  gtk_widget_grab_focus (GTK_WIDGET (server_row));
  kac_test_gui_save_screenshot (GTK_WIDGET (prefs), "sync-preferences-error");
  gtk_editable_set_text (GTK_EDITABLE (server_row), central->uri);
  g_signal_emit_by_name (server_row, "apply");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (server_row), "error"));
  g_assert_false (gtk_widget_get_visible (kac_test_gui_child (prefs, KAC_TYPE_PREFERENCES_WINDOW,
                                                              "central_error_label")));
  g_assert_nonnull (get_engine ());

  kac_test_gui_save_screenshot (GTK_WIDGET (prefs), "sync-preferences");
  gtk_window_destroy (GTK_WINDOW (prefs));
  kac_test_run_for (100);
}

static void
test_shortcuts (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.sync-now");

  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>r");
}

/* Main */

static void
run_tests_cb (GApplication *application,
              int          *status)
{
  window = KAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_nonnull (get_store ());
  kac_test_run_for (300);

  *status = g_test_run ();

  kac_test_gui_destroy_and_finalize (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status = 1;

  /* The store in a folder of its own (the keyring of tests/with-keyring.sh lives elsewhere). */
  tmp_dir = g_dir_make_tmp ("kac-test-sync-window-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* --language=lv runs everything in Latvian. */
  kac_test_gui_init (&argc, &argv);

  central = kac_test_central_new ();

  /* A terminal set up by hand before anybody signed in, with a centre that is not the clerk's
   * one on the central system. */
  settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_set_string (settings, "centre-id", KAC_TEST_OTHER_CENTRE);
  g_settings_set_string (settings, "centre-name", "Cēsu VPVKAC");
  g_settings_set_string (settings, "clerk-name", "Līga Ozola");
  g_settings_set_string (settings, "server-url", "");
  g_settings_set_string (settings, "ca-file", "");
  g_settings_set_string (settings, "username", "");

  g_test_add_func ("/sync-window/not-connected", test_not_connected);
  g_test_add_func ("/sync-window/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/sync-window/sign-in", test_sign_in);
  g_test_add_func ("/sync-window/accepted", test_accepted);
  g_test_add_func ("/sync-window/correct-rejected", test_correct_rejected);
  g_test_add_func ("/sync-window/spinner", test_spinner);
  g_test_add_func ("/sync-window/offline", test_offline);
  g_test_add_func ("/sync-window/token-revoked", test_token_revoked);
  g_test_add_func ("/sync-window/sign-out-and-restore", test_sign_out_and_restore);
  g_test_add_func ("/sync-window/untrusted", test_untrusted);
  g_test_add_func ("/sync-window/preferences", test_preferences);
  g_test_add_func ("/sync-window/shortcuts", test_shortcuts);

  app = kac_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (run_tests_cb), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_finalize_object (app);
  g_clear_object (&settings);

  kac_test_central_free (central);
  g_free (wrong_centre_uuid);
  g_free (accepted_uuid);
  kac_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}

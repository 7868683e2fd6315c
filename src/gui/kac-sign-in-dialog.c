/* kac-sign-in-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signs the clerk in to kac-central. Every problem is said in the dialog itself, next to the
 * field it concerns, in words that tell the clerk what to do; the dialog can be closed at any
 * time and work goes on offline (registrations keep being saved and wait).
 */
#define G_LOG_DOMAIN "kac-sign-in-dialog"

#include "config.h"

#include "kac-sign-in-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kac-http-client.h"
#include "kac-window.h"

struct _KacSignInDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  GtkBox              *error_box;
  GtkLabel            *error_label;
  GtkListBox          *fields_list;
  AdwPasswordEntryRow *password_row;
  GtkBox              *reason_box;
  GtkLabel            *reason_label;
  AdwEntryRow         *server_row;
  GtkButton           *sign_in_button;
  GtkSpinner          *spinner;
  AdwEntryRow         *username_row;

  KacApplication      *application;
  GSettings           *settings;
  GCancellable        *cancellable;
  char                *server_uri;
};

G_DEFINE_FINAL_TYPE (KacSignInDialog, kac_sign_in_dialog, ADW_TYPE_WINDOW)

/* Helpers */

static void
mark_field (GtkWidget *field,
            gboolean   invalid)
{
  if (invalid)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
clear_error (KacSignInDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_label_set_label (self->error_label, "");
  mark_field (GTK_WIDGET (self->server_row), FALSE);
  mark_field (GTK_WIDGET (self->username_row), FALSE);
  mark_field (GTK_WIDGET (self->password_row), FALSE);
}

/* Shows @message and, with @field, marks that field and puts the focus in it. */
static void
show_error (KacSignInDialog *self,
            GtkWidget       *field,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
  if (field != NULL)
    {
      mark_field (field, TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, self->error_label,
                                      -1);
      gtk_widget_grab_focus (field);
    }
}

static void
set_busy (KacSignInDialog *self,
          gboolean         busy)
{
  /* Not insensitive: GTK 4.8 complains when a focused text field loses its sensitivity. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_button_set_label (self->sign_in_button, busy ? _("Signing in…") : _("_Sign In"));
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A bare host name gets https:// in front: that is what every clerk means. */
char *
kac_sign_in_dialog_check_server_uri (const char  *text,
                                     char       **message)
{
  g_autofree char *candidate = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  candidate = g_strstrip (g_strdup (text));
  if (*candidate == '\0')
    {
      *message = g_strdup (_("Enter the address of the central system, e.g. https://central.example.lv/. Your administrator knows it."));
      return NULL;
    }

  if (strstr (candidate, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", candidate, NULL);

      g_free (candidate);
      candidate = with_scheme;
    }

  uri = g_uri_parse (candidate, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      *message = g_strdup (_("This is not a web address. Enter the address of the central system as your administrator gave it, e.g. https://central.example.lv/."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      *message = g_strdup (_("The address must begin with https://: the connection to the central system is always encrypted. Plain http:// is accepted only for this computer."));
      return NULL;
    }

  return g_steal_pointer (&candidate);
}

/* Words for the clerk for each way a sign-in can fail, and the field to fix. */
static void
show_sign_in_error (KacSignInDialog *self,
                    const GError    *error)
{
  g_autofree char *message = NULL;
  GtkWidget *field = NULL;

  if (error->domain != KAC_HTTP_ERROR)
    {
      /* Translators: %s is a technical explanation. */
      message = g_strdup_printf (_("Signing in failed: %s"), error->message);
      show_error (self, NULL, message);
      return;
    }

  switch ((KacHttpError) error->code)
    {
    case KAC_HTTP_ERROR_AUTH:
      message = g_strdup (_("The user name or the password is wrong. Check them (is Caps Lock on?) and try again."));
      field = GTK_WIDGET (self->password_row);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      break;
    case KAC_HTTP_ERROR_NETWORK:
    case KAC_HTTP_ERROR_TIMEOUT:
      message = g_strdup (_("The central system cannot be reached at this address. Check the address and the network connection, or try again later. Registrations keep being saved meanwhile."));
      field = GTK_WIDGET (self->server_row);
      break;
    case KAC_HTTP_ERROR_TLS:
      message = g_strdup (_("The central system’s certificate is not trusted, so nothing was sent. Check the address; if your organisation uses its own certificate authority, set its file in Preferences → Central system."));
      field = GTK_WIDGET (self->server_row);
      break;
    case KAC_HTTP_ERROR_SERVER:
    case KAC_HTTP_ERROR_GONE:
      message = g_strdup (_("The central system answered with something that is not a valid reply. Check the address; if it is right, try again later or call your administrator."));
      field = GTK_WIDGET (self->server_row);
      break;
    case KAC_HTTP_ERROR_CONFIG:
      /* The client's sentence names the address or the CA file that cannot be used. */
      message = g_strdup (error->message);
      field = GTK_WIDGET (self->server_row);
      break;
    case KAC_HTTP_ERROR_REJECTED:
    default:
      /* Translators: %s is the central system's own explanation. */
      message = g_strdup_printf (_("The central system refused the sign-in: %s"), error->message);
      break;
    }

  show_error (self, field, message);
}

/* Callbacks */

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KacSignInDialog) self = user_data;
  g_autoptr(KacWireSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *welcome = NULL;
  GtkWindow *parent;

  session = kac_session_sign_in_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (session == NULL)
    {
      show_sign_in_error (self, error);
      return;
    }

  if (session->centre_id == NULL)
    {
      show_error (self, GTK_WIDGET (self->username_row),
                  _("This account does not belong to a client service centre (it is an institution’s or an administrator’s). Sign in with a clerk’s or manager’s account."));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  kac_application_apply_session (self->application, self->server_uri, session);

  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (KAC_IS_WINDOW (parent))
    {
      /* Translators: %1$s is the clerk's name, %2$s the centre's name. */
      welcome = g_strdup_printf (_("Signed in as %1$s, %2$s"),
                                 session->display_name != NULL ? session->display_name : session->username,
                                 session->centre_name != NULL ? session->centre_name : session->centre_id);
      kac_window_show_toast (KAC_WINDOW (parent), adw_toast_new (welcome));
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

/* Actions */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  KacSignInDialog *self = KAC_SIGN_IN_DIALOG (widget);
  g_autofree char *message = NULL;
  g_autofree char *username = NULL;
  g_autofree char *server = NULL;
  g_autofree char *ca_file = NULL;
  const char *password;

  if (self->cancellable != NULL)
    return;

  clear_error (self);

  server = kac_sign_in_dialog_check_server_uri (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &message);
  if (server == NULL)
    {
      show_error (self, GTK_WIDGET (self->server_row), message);
      return;
    }
  if (g_strcmp0 (server, gtk_editable_get_text (GTK_EDITABLE (self->server_row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  if (*username == '\0')
    {
      show_error (self, GTK_WIDGET (self->username_row), _("Enter your user name for the central system."));
      return;
    }

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*password == '\0')
    {
      show_error (self, GTK_WIDGET (self->password_row), _("Enter your password."));
      return;
    }

  ca_file = g_strstrip (g_settings_get_string (self->settings, "ca-file"));

  g_free (self->server_uri);
  self->server_uri = g_strdup (server);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  kac_session_sign_in_async (server, *ca_file != '\0' ? ca_file : NULL, username, password,
                             self->cancellable, sign_in_cb, g_object_ref (self));
}

/* GObject overrides */

static gboolean
kac_sign_in_dialog_close_request (GtkWindow *window)
{
  KacSignInDialog *self = KAC_SIGN_IN_DIALOG (window);

  /* Closing gives up the sign-in on its way. */
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (kac_sign_in_dialog_parent_class)->close_request (window);
}

static void
kac_sign_in_dialog_dispose (GObject *object)
{
  KacSignInDialog *self = KAC_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->application);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_sign_in_dialog_parent_class)->dispose (object);
}

static void
kac_sign_in_dialog_finalize (GObject *object)
{
  KacSignInDialog *self = KAC_SIGN_IN_DIALOG (object);

  g_free (self->server_uri);

  G_OBJECT_CLASS (kac_sign_in_dialog_parent_class)->finalize (object);
}

static void
kac_sign_in_dialog_class_init (KacSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kac_sign_in_dialog_dispose;
  object_class->finalize = kac_sign_in_dialog_finalize;
  window_class->close_request = kac_sign_in_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, fields_list);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KacSignInDialog, username_row);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kac_sign_in_dialog_init (KacSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
}

/* Public API */

KacSignInDialog *
kac_sign_in_dialog_new (GtkWindow      *parent,
                        KacApplication *application)
{
  KacSignInDialog *self;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KAC_IS_APPLICATION (application), NULL);

  self = g_object_new (KAC_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->application = g_object_ref (application);

  server = g_strstrip (g_settings_get_string (self->settings, "server-url"));
  username = g_strstrip (g_settings_get_string (self->settings, "username"));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);

  /* Start where the clerk has something to type. */
  if (*server == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (*username == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));

  return self;
}

void
kac_sign_in_dialog_set_reason (KacSignInDialog *self,
                               const char      *reason)
{
  g_return_if_fail (KAC_IS_SIGN_IN_DIALOG (self));

  gtk_label_set_label (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_box), reason != NULL && *reason != '\0');
}

gboolean
kac_sign_in_dialog_is_busy (KacSignInDialog *self)
{
  g_return_val_if_fail (KAC_IS_SIGN_IN_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

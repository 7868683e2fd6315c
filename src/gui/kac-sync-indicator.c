/* kac-sync-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the queue stands, in the header bar: "Synced at 12:03", "Offline — 14 waiting",
 * "Sign-in needed — 14 waiting", "3 rejected". It never lies (STYLE.md, "The queue"): the
 * words follow the engine's state and counts at every change, the spinner appears only when
 * sending takes longer than a moment and stops with the state that ends it, and the details
 * (last sync, next attempt, last error) are one click away with "Sync Now" and the sign-in.
 */
#define G_LOG_DOMAIN "kac-sync-indicator"

#include "config.h"

#include "kac-sync-indicator.h"

#include <glib/gi18n.h>

/* Sending that ends sooner than this shows no spinner, so the bar does not flicker. */
#define SPINNER_DELAY_MS 600

/* The lines of the popover's details, in their order. */
enum {
  DETAIL_SERVER,
  DETAIL_USER,
  DETAIL_LAST_SYNC,
  DETAIL_NEXT_ATTEMPT,
  DETAIL_WAITING,
  DETAIL_REJECTED,
  DETAIL_LAST_ERROR,
  N_DETAILS
};

struct _KacSyncIndicator
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkBox         *button_box;
  GtkLabel       *description_label;
  GtkGrid        *details_grid;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkMenuButton  *menu_button;
  GtkPopover     *popover;
  GtkButton      *preferences_button;
  GtkButton      *show_queue_button;
  GtkButton      *sign_in_button;
  GtkButton      *sign_out_button;
  GtkSpinner     *spinner;
  GtkButton      *sync_now_button;
  GtkLabel       *title_label;

  KacSyncEngine  *engine;
  GSettings      *settings;
  gboolean        restoring_sign_in;
  /* The state on screen: the engine's, except that "syncing" shows only after a delay. */
  KacSyncState    shown_state;
  guint           spinner_delay_id;
  guint           clock_id;
  /* Made once and only shown, hidden and relabelled: a widget taken away while the popover
   * is open could be the one with the focus. */
  GtkLabel       *detail_keys[N_DETAILS];
  GtkLabel       *detail_values[N_DETAILS];
};

G_DEFINE_FINAL_TYPE (KacSyncIndicator, kac_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_RESTORING_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const look_classes[] = { "error", "warning", "success", NULL };


/* Helpers */

static gboolean
is_today (GDateTime *local)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_year (local) == g_date_time_get_year (now) &&
         g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now);
}

static char *
format_time (GDateTime *utc,
             gboolean   seconds)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  if (is_today (local))
    return g_date_time_format (local, seconds ? "%H:%M:%S" : "%H:%M");

  /* Translators: a date and time in the sync details, see g_date_time_format(). */
  return g_date_time_format (local, C_("sync time", "%d.%m.%Y %H:%M"));
}

static char *
describe_last_sync (GDateTime *last_sync)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (last_sync == NULL)
    return g_strdup (_("Nothing to send"));

  local = g_date_time_to_local (last_sync);
  time = format_time (last_sync, FALSE);
  if (is_today (local))
    /* Translators: %s is a time of day, e.g. "12:03". */
    return g_strdup_printf (_("Synced at %s"), time);

  /* Translators: %s is a date and time, e.g. "02.03.2026 12:03". */
  return g_strdup_printf (_("Synced on %s"), time);
}

static void
make_details (KacSyncIndicator *self)
{
  for (int i = 0; i < N_DETAILS; i++)
    {
      GtkWidget *key_label = gtk_label_new (NULL);
      GtkWidget *value_label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (key_label), 0);
      gtk_label_set_yalign (GTK_LABEL (key_label), 0);
      gtk_widget_add_css_class (key_label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value_label), 0);
      gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (value_label), 30);
      gtk_widget_set_hexpand (value_label, TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, key_label, NULL,
                                      -1);
      gtk_grid_attach (self->details_grid, key_label, 0, i, 1, 1);
      gtk_grid_attach (self->details_grid, value_label, 1, i, 1, 1);
      self->detail_keys[i] = GTK_LABEL (key_label);
      self->detail_values[i] = GTK_LABEL (value_label);
    }
}

static void
hide_details (KacSyncIndicator *self)
{
  for (int i = 0; i < N_DETAILS; i++)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->detail_keys[i]), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->detail_values[i]), FALSE);
    }
}

static void
set_detail (KacSyncIndicator *self,
            int               detail,
            const char       *key,
            const char       *value)
{
  gtk_label_set_label (self->detail_keys[detail], key);
  gtk_label_set_label (self->detail_values[detail], value);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_keys[detail]), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_values[detail]), TRUE);
}

static void
update (KacSyncIndicator *self)
{
  g_autofree char *label = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  const char *icon_name;
  const char *look = NULL;
  gboolean spinning = FALSE;
  gboolean has_token = FALSE;
  gboolean show_sign_in = TRUE;
  gboolean show_preferences = FALSE;
  guint n_pending = 0, n_rejected = 0, n_stuck = 0;
  gboolean has_details = FALSE;

  hide_details (self);

  if (self->engine == NULL)
    {
      label = g_strdup (_("Not connected to a central system"));
      icon_name = "network-server-symbolic";
      g_string_append (description, _("Registrations are kept on this computer only. To send them to the central service management system, set its address in Preferences → Central system, or sign in."));
      show_preferences = TRUE;
    }
  else
    {
      const char *server = kac_sync_engine_get_server_uri (self->engine);
      const char *last_error = kac_sync_engine_get_last_error (self->engine);
      GDateTime *last_sync = kac_sync_engine_get_last_sync (self->engine);
      GDateTime *next_attempt = kac_sync_engine_get_next_attempt (self->engine);
      KacSyncState state = self->shown_state;

      n_pending = kac_sync_engine_get_n_pending (self->engine);
      n_rejected = kac_sync_engine_get_n_rejected (self->engine);
      n_stuck = kac_sync_engine_get_n_stuck (self->engine);
      has_token = kac_sync_engine_get_token (self->engine) != NULL;
      show_sign_in = !has_token || kac_sync_engine_get_state (self->engine) == KAC_SYNC_STATE_AUTH_NEEDED;

      if (state == KAC_SYNC_STATE_AUTH_NEEDED && self->restoring_sign_in)
        {
          label = g_strdup (_("Connecting…"));
          icon_name = "emblem-synchronizing-symbolic";
          g_string_append (description, _("Reading the remembered sign-in from the keyring."));
          show_sign_in = FALSE;
        }
      else
        switch (state)
          {
          case KAC_SYNC_STATE_SYNCING:
            label = g_strdup (_("Sending…"));
            icon_name = "emblem-synchronizing-symbolic";
            spinning = TRUE;
            g_string_append (description, _("Registrations are on their way to the central system."));
            break;

          case KAC_SYNC_STATE_OFFLINE:
            if (n_pending > 0)
              /* Translators: the sync status in the header bar. */
              label = g_strdup_printf (ngettext ("Offline — %u waiting", "Offline — %u waiting", n_pending), n_pending);
            else
              label = g_strdup (_("Offline"));
            icon_name = "network-offline-symbolic";
            look = "warning";
            g_string_append (description, _("The central system cannot be reached. Registrations are saved on this computer and are sent by themselves when the connection is back."));
            break;

          case KAC_SYNC_STATE_AUTH_NEEDED:
            if (n_pending > 0)
              label = g_strdup_printf (ngettext ("Sign-in needed — %u waiting", "Sign-in needed — %u waiting", n_pending), n_pending);
            else
              label = g_strdup (_("Sign-in needed"));
            icon_name = "dialog-password-symbolic";
            look = "warning";
            if (has_token)
              g_string_append (description, _("The central system no longer accepts the sign-in (it expired or was revoked). Registrations are saved and wait; sign in again to send them."));
            else
              g_string_append (description, _("Nobody is signed in to the central system. Registrations are saved and wait; sign in to send them."));
            break;

          case KAC_SYNC_STATE_TLS_ERROR:
            label = g_strdup (_("Certificate not trusted"));
            icon_name = "channel-insecure-symbolic";
            look = "error";
            g_string_append (description, _("The central system’s certificate is not trusted, so nothing is sent. If your organisation uses its own certificate authority, set its file in Preferences → Central system. Registrations are saved and wait."));
            show_preferences = TRUE;
            break;

          case KAC_SYNC_STATE_ERROR:
            if (n_pending > 0)
              label = g_strdup_printf (ngettext ("Sending failed — %u waiting", "Sending failed — %u waiting", n_pending), n_pending);
            else
              label = g_strdup (_("Sending failed"));
            icon_name = "dialog-warning-symbolic";
            look = "error";
            g_string_append (description, _("The central system answers with errors. KAC Desk tries again by itself; registrations are saved and wait."));
            break;

          case KAC_SYNC_STATE_IDLE:
          default:
            if (n_rejected > 0)
              {
                label = g_strdup_printf (ngettext ("%u rejected", "%u rejected", n_rejected), n_rejected);
                icon_name = "dialog-error-symbolic";
                look = "error";
              }
            else if (n_pending > 0)
              {
                label = g_strdup_printf (ngettext ("%u waiting", "%u waiting", n_pending), n_pending);
                icon_name = "document-send-symbolic";
                g_string_append (description, _("New registrations are sent in a moment."));
              }
            else
              {
                label = describe_last_sync (last_sync);
                icon_name = "emblem-ok-symbolic";
                g_string_append (description, _("Every registration saved here has reached the central system."));
              }
            break;
          }

      if (n_rejected > 0)
        {
          if (description->len > 0)
            g_string_append_c (description, ' ');
          g_string_append_printf (description,
                                  ngettext ("The central system refused %u registration. The queue shows why; correct it or withdraw it.",
                                            "The central system refused %u registrations. The queue shows why; correct them or withdraw them.",
                                            n_rejected),
                                  n_rejected);
        }
      if (n_stuck > 0)
        {
          g_string_append_c (description, ' ');
          g_string_append_printf (description,
                                  ngettext ("%u registration has not been sent for a long time.",
                                            "%u registrations have not been sent for a long time.",
                                            n_stuck),
                                  n_stuck);
          if (look == NULL)
            look = "warning";
        }

      /* The details, for the clerk and for whoever the clerk calls. */
      has_details = TRUE;
      set_detail (self, DETAIL_SERVER, _("Central system"), server != NULL ? server : "");
      /* Not while the central system refuses the token: nobody is really signed in then. */
      if (has_token && kac_sync_engine_get_state (self->engine) != KAC_SYNC_STATE_AUTH_NEEDED)
        {
          g_autofree char *username = g_strstrip (g_settings_get_string (self->settings, "username"));

          if (*username != '\0')
            set_detail (self, DETAIL_USER, _("Signed in as"), username);
        }
      {
        g_autofree char *text = last_sync != NULL ? format_time (last_sync, FALSE) : g_strdup (_("Never"));

        set_detail (self, DETAIL_LAST_SYNC, _("Last sync"), text);
      }
      if (next_attempt != NULL)
        {
          g_autofree char *text = format_time (next_attempt, TRUE);

          set_detail (self, DETAIL_NEXT_ATTEMPT, _("Next attempt"), text);
        }
      {
        g_autofree char *text = g_strdup_printf ("%u", n_pending);

        set_detail (self, DETAIL_WAITING, C_("registrations", "Waiting"), text);
      }
      if (n_rejected > 0)
        {
          g_autofree char *text = g_strdup_printf ("%u", n_rejected);

          set_detail (self, DETAIL_REJECTED, C_("registrations", "Rejected"), text);
        }
      if (last_error != NULL && *last_error != '\0')
        set_detail (self, DETAIL_LAST_ERROR, _("Last error"), last_error);
    }

  gtk_label_set_label (self->label, label);
  gtk_label_set_label (self->title_label, label);
  gtk_label_set_label (self->description_label, description->str);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->details_grid), has_details);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), !spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), spinning);
  gtk_spinner_set_spinning (self->spinner, spinning);

  for (guint i = 0; look_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->button_box), look_classes[i]);
  if (look != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->button_box), look);

  gtk_widget_set_visible (GTK_WIDGET (self->sync_now_button), self->engine != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), show_sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), has_token);
  gtk_widget_set_visible (GTK_WIDGET (self->preferences_button), show_preferences);
  gtk_widget_set_visible (GTK_WIDGET (self->show_queue_button), n_rejected > 0);

  /* A screen reader hears the whole status, not just "button". */
  {
    /* Translators: the accessible name of the sync status button; %s is its text. */
    g_autofree char *name = g_strdup_printf (_("Sync status: %s"), label);

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  }
}

/* Callbacks */

static gboolean
spinner_delay_cb (gpointer user_data)
{
  KacSyncIndicator *self = user_data;

  self->spinner_delay_id = 0;
  if (self->engine != NULL && kac_sync_engine_get_state (self->engine) == KAC_SYNC_STATE_SYNCING)
    {
      self->shown_state = KAC_SYNC_STATE_SYNCING;
      update (self);
    }

  return G_SOURCE_REMOVE;
}

static void
follow_state (KacSyncIndicator *self)
{
  KacSyncState state;

  if (self->engine == NULL)
    {
      g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
      return;
    }

  state = kac_sync_engine_get_state (self->engine);
  if (state == KAC_SYNC_STATE_SYNCING)
    {
      /* Until the delay is over the bar keeps saying what was true a moment ago. */
      if (self->shown_state != KAC_SYNC_STATE_SYNCING && self->spinner_delay_id == 0)
        self->spinner_delay_id = g_timeout_add (SPINNER_DELAY_MS, spinner_delay_cb, self);
      return;
    }

  /* Any end of sending stops the spinner at once. */
  g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
  self->shown_state = state;
}

static void
engine_notify_cb (KacSyncIndicator *self,
                  GParamSpec       *pspec,
                  KacSyncEngine    *engine)
{
  follow_state (self);
  update (self);
}

static gboolean
clock_cb (gpointer user_data)
{
  KacSyncIndicator *self = user_data;

  /* "Synced at 12:03" becomes "Synced on …" after midnight. */
  update (self);

  return G_SOURCE_CONTINUE;
}

static void
popover_button_clicked_cb (KacSyncIndicator *self,
                           GtkButton        *button)
{
  gtk_popover_popdown (self->popover);
}

/* GObject overrides */

static void
kac_sync_indicator_dispose (GObject *object)
{
  KacSyncIndicator *self = KAC_SYNC_INDICATOR (object);

  kac_sync_indicator_set_engine (self, NULL);
  g_clear_handle_id (&self->spinner_delay_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_SYNC_INDICATOR);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_sync_indicator_parent_class)->dispose (object);
}

static void
kac_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KacSyncIndicator *self = KAC_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_RESTORING_SIGN_IN:
      g_value_set_boolean (value, self->restoring_sign_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KacSyncIndicator *self = KAC_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      kac_sync_indicator_set_engine (self, g_value_get_object (value));
      break;
    case PROP_RESTORING_SIGN_IN:
      kac_sync_indicator_set_restoring_sign_in (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_sync_indicator_class_init (KacSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_sync_indicator_dispose;
  object_class->get_property = kac_sync_indicator_get_property;
  object_class->set_property = kac_sync_indicator_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL,
                         KAC_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTORING_SIGN_IN] =
    g_param_spec_boolean ("restoring-sign-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, button_box);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, description_label);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, details_grid);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, menu_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, show_queue_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, KacSyncIndicator, title_label);

  gtk_widget_class_set_css_name (widget_class, "syncindicator");
}

static void
kac_sync_indicator_init (KacSyncIndicator *self)
{
  GtkButton *closing[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  make_details (self);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  self->shown_state = KAC_SYNC_STATE_IDLE;

  /* These lead elsewhere (a dialog, a page): the popover makes way. "Sync Now" keeps it open,
   * so that the clerk sees what happens. */
  closing[0] = self->sign_in_button;
  closing[1] = self->sign_out_button;
  closing[2] = self->preferences_button;
  closing[3] = self->show_queue_button;
  for (guint i = 0; i < G_N_ELEMENTS (closing); i++)
    g_signal_connect_object (closing[i], "clicked",
                             G_CALLBACK (popover_button_clicked_cb), self, G_CONNECT_SWAPPED);

  self->clock_id = g_timeout_add_seconds (30, clock_cb, self);
  update (self);
}

/* Public API */

GtkWidget *
kac_sync_indicator_new (void)
{
  return g_object_new (KAC_TYPE_SYNC_INDICATOR, NULL);
}

KacSyncEngine *
kac_sync_indicator_get_engine (KacSyncIndicator *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_INDICATOR (self), NULL);

  return self->engine;
}

void
kac_sync_indicator_set_engine (KacSyncIndicator *self,
                               KacSyncEngine    *engine)
{
  g_return_if_fail (KAC_IS_SYNC_INDICATOR (self));
  g_return_if_fail (engine == NULL || KAC_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  g_clear_handle_id (&self->spinner_delay_id, g_source_remove);

  if (engine != NULL)
    {
      self->shown_state = kac_sync_engine_get_state (engine);
      /* "syncing" right now still waits for the delay. */
      if (self->shown_state == KAC_SYNC_STATE_SYNCING)
        {
          self->shown_state = KAC_SYNC_STATE_IDLE;
          follow_state (self);
        }
      g_signal_connect_object (engine, "notify", G_CALLBACK (engine_notify_cb), self, G_CONNECT_SWAPPED);
    }

  /* Not while the template is taken apart. */
  if (self->label != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
kac_sync_indicator_set_restoring_sign_in (KacSyncIndicator *self,
                                          gboolean          restoring)
{
  g_return_if_fail (KAC_IS_SYNC_INDICATOR (self));

  restoring = !!restoring;
  if (self->restoring_sign_in == restoring)
    return;

  self->restoring_sign_in = restoring;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTORING_SIGN_IN]);
}

const char *
kac_sync_indicator_get_label (KacSyncIndicator *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_INDICATOR (self), NULL);

  return gtk_label_get_label (self->label);
}

gboolean
kac_sync_indicator_is_spinning (KacSyncIndicator *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_INDICATOR (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->spinner)) && gtk_spinner_get_spinning (self->spinner);
}

void
kac_sync_indicator_popup (KacSyncIndicator *self)
{
  g_return_if_fail (KAC_IS_SYNC_INDICATOR (self));

  gtk_menu_button_popup (self->menu_button);
}

void
kac_sync_indicator_popdown (KacSyncIndicator *self)
{
  g_return_if_fail (KAC_IS_SYNC_INDICATOR (self));

  gtk_menu_button_popdown (self->menu_button);
}

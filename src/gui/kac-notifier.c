/* kac-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One libnotify notification per announced item. Each shown notification is kept until the
 * server says it was closed, because libnotify calls the "default" action's callback on that
 * object (and only while the main loop runs).
 */
#define G_LOG_DOMAIN "kac-notifier"

#include "config.h"

#include "kac-notifier.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

struct _KacNotifier
{
  GObject        parent_instance;

  GActionGroup  *actions;       /* weak */
  GSettings     *settings;
  KacSyncEngine *engine;
  /* NotifyNotification shown and not closed yet. */
  GPtrArray     *live;
};

G_DEFINE_FINAL_TYPE (KacNotifier, kac_notifier, G_TYPE_OBJECT)

/* Helpers */

static char *
format_local (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today in strftime format. */
    return g_date_time_format (local, _("%H:%M"));

  /* Translators: a date and time in strftime format, e.g. "12.05. 14:00". */
  return g_date_time_format (local, _("%d.%m. %H:%M"));
}

static void
notification_closed_cb (NotifyNotification *notification,
                        KacNotifier        *self)
{
  g_ptr_array_remove (self->live, notification);
}

static void
default_action_cb (NotifyNotification *notification,
                   char               *action,
                   gpointer            user_data)
{
  KacNotifier *self = KAC_NOTIFIER (user_data);
  const char *target = g_object_get_data (G_OBJECT (notification), "kac-action");
  const char *id = g_object_get_data (G_OBJECT (notification), "kac-id");

  if (self->actions != NULL && target != NULL && id != NULL
      && g_action_group_has_action (self->actions, target))
    g_action_group_activate_action (self->actions, target, g_variant_new_string (id));
}

static gboolean
ensure_init (void)
{
  if (notify_is_initted ())
    return TRUE;

  return notify_init (g_get_application_name () != NULL ? g_get_application_name () : "KAC Desk");
}

static gboolean
show (KacNotifier *self,
      const char  *summary,
      const char  *body,
      const char  *action,
      const char  *id,
      gboolean     urgent)
{
  /* libnotify 0.8 declares no autoptr cleanup. */
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;

  if (!g_settings_get_boolean (self->settings, "notifications-enabled"))
    return FALSE;

  if (!ensure_init ())
    {
      g_message ("Desktop notifications are not available");
      return FALSE;
    }

  /* Servers may read the body as markup; names and notes are plain text. */
  escaped = g_markup_escape_text (body, -1);
  notification = notify_notification_new (summary, escaped, APPLICATION_ID);
  notify_notification_set_app_name (notification, _("KAC Desk"));
  notify_notification_set_hint_string (notification, "desktop-entry", APPLICATION_ID);
  notify_notification_set_urgency (notification, urgent ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
  g_object_set_data_full (G_OBJECT (notification), "kac-action", g_strdup (action), g_free);
  g_object_set_data_full (G_OBJECT (notification), "kac-id", g_strdup (id), g_free);
  notify_notification_add_action (notification, "default", _("Open"),
                                  default_action_cb, self, NULL);
  g_signal_connect_object (notification, "closed",
                           G_CALLBACK (notification_closed_cb), self, 0);

  if (!notify_notification_show (notification, &error))
    {
      /* The notice is still on the Notices page; a missing notification server must not
       * bother the clerk with an error of its own. */
      g_message ("A desktop notification could not be shown: %s", error->message);
      g_signal_handlers_disconnect_by_data (notification, self);
      g_object_unref (notification);
      return FALSE;
    }

  g_ptr_array_add (self->live, notification);
  return TRUE;
}

/* Callbacks */

static void
notice_arrived_cb (KacSyncEngine *engine,
                   const char    *id,
                   gpointer       notice,
                   KacNotifier   *self)
{
  kac_notifier_notify_notice (self, notice);
}

static void
material_changed_cb (KacSyncEngine *engine,
                     const char    *id,
                     gint64         version,
                     gboolean       is_update,
                     const char    *institution,
                     const char    *title,
                     KacNotifier   *self)
{
  kac_notifier_notify_material (self, id, is_update, institution, title);
}

/* GObject overrides */

static void
kac_notifier_dispose (GObject *object)
{
  KacNotifier *self = KAC_NOTIFIER (object);

  kac_notifier_set_engine (self, NULL);
  g_clear_weak_pointer (&self->actions);
  if (self->live != NULL)
    for (guint i = 0; i < self->live->len; i++)
      g_signal_handlers_disconnect_by_data (self->live->pdata[i], self);
  g_clear_pointer (&self->live, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_notifier_parent_class)->dispose (object);
}

static void
kac_notifier_class_init (KacNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kac_notifier_dispose;
}

static void
kac_notifier_init (KacNotifier *self)
{
  self->live = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

KacNotifier *
kac_notifier_new (GActionGroup *actions,
                  GSettings    *settings)
{
  KacNotifier *self;

  g_return_val_if_fail (actions == NULL || G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (KAC_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->actions, actions);
  self->settings = g_object_ref (settings);

  return self;
}

void
kac_notifier_set_engine (KacNotifier   *self,
                         KacSyncEngine *engine)
{
  g_return_if_fail (KAC_IS_NOTIFIER (self));
  g_return_if_fail (engine == NULL || KAC_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_object (engine, "notice-arrived",
                               G_CALLBACK (notice_arrived_cb), self, 0);
      g_signal_connect_object (engine, "material-changed",
                               G_CALLBACK (material_changed_cb), self, 0);
    }
}

char *
kac_notifier_dup_notice_summary (const KacWireNotice *notice)
{
  g_autofree char *until = NULL;

  g_return_val_if_fail (notice != NULL, NULL);

  until = format_local (notice->ends_at);
  switch (notice->kind)
    {
    case KAC_NOTICE_KIND_ABSENCE:
      if (until != NULL)
        /* Translators: %1$s is an institution ("VSAA"), %2$s a time or date and time. */
        return g_strdup_printf (_("%1$s specialist absent until %2$s"), notice->institution, until);
      /* Translators: %s is an institution ("VSAA"). */
      return g_strdup_printf (_("%s specialist absent"), notice->institution);

    case KAC_NOTICE_KIND_SUBSTITUTION:
      if (until != NULL)
        /* Translators: %1$s is an institution ("VSAA"), %2$s a person's name, %3$s a time or
         * date and time. */
        return g_strdup_printf (_("%1$s: %2$s substitutes until %3$s"), notice->institution,
                                notice->name != NULL ? notice->name : "", until);
      /* Translators: %1$s is an institution ("VSAA"), %2$s a person's name. */
      return g_strdup_printf (_("%1$s: %2$s substitutes"), notice->institution,
                              notice->name != NULL ? notice->name : "");

    case KAC_NOTICE_KIND_SPECIALIST_ASSIGNED:
    case KAC_NOTICE_KIND_HOURS_CHANGED:
    default:
      /* Translators: %1$s is an institution ("VSAA"), %2$s the kind of notice. */
      return g_strdup_printf (_("%1$s: %2$s"), notice->institution,
                              kac_notice_kind_get_label (notice->kind));
    }
}

char *
kac_notifier_dup_material_summary (gboolean    is_update,
                                   const char *institution,
                                   const char *title)
{
  g_return_val_if_fail (institution != NULL && title != NULL, NULL);

  if (is_update)
    /* Translators: %1$s is an institution ("VSAA"), %2$s the title of a material. */
    return g_strdup_printf (_("Updated material of %1$s: %2$s"), institution, title);
  /* Translators: %1$s is an institution ("VSAA"), %2$s the title of a material. */
  return g_strdup_printf (_("New material of %1$s: %2$s"), institution, title);
}

gboolean
kac_notifier_notify_notice (KacNotifier         *self,
                            const KacWireNotice *notice)
{
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autofree char *from = NULL;

  g_return_val_if_fail (KAC_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (notice != NULL, FALSE);

  if (notice->deleted
      || (notice->kind != KAC_NOTICE_KIND_ABSENCE && notice->kind != KAC_NOTICE_KIND_SUBSTITUTION))
    return FALSE;

  summary = kac_notifier_dup_notice_summary (notice);
  from = format_local (notice->starts_at);
  if (notice->kind == KAC_NOTICE_KIND_ABSENCE)
    /* Translators: %s is a time or a date and time. Said of an absence with no substitute
     * (MK 401 §20.8: the centre serves the institution's clients itself meanwhile). */
    body = g_strdup_printf (_("From %s, with no substitute: register the institution's applications here."),
                            from != NULL ? from : "");
  else
    /* Translators: %1$s is a position, %2$s a time or date and time. */
    body = g_strdup_printf (_("%1$s, from %2$s."),
                            notice->position != NULL ? notice->position : "",
                            from != NULL ? from : "");
  if (notice->note != NULL && *notice->note != '\0')
    {
      char *with_note = g_strconcat (body, "\n", notice->note, NULL);

      g_free (body);
      body = with_note;
    }

  return show (self, summary, body, "show-notice", notice->id, TRUE);
}

gboolean
kac_notifier_notify_material (KacNotifier *self,
                              const char  *id,
                              gboolean     is_update,
                              const char  *institution,
                              const char  *title)
{
  g_autofree char *summary = NULL;

  g_return_val_if_fail (KAC_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (id != NULL && institution != NULL && title != NULL, FALSE);

  summary = kac_notifier_dup_material_summary (is_update, institution, title);
  return show (self, summary, _("Read it before serving the next client of this service."),
               "show-material", id, FALSE);
}

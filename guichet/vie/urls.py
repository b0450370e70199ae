from django.urls import path

from guichet.vie.views import awareness, figures, missions

app_name = "vie"

urlpatterns = [
    path("vie/missions/", missions.mission_list, name="missions"),
    path("vie/missions/nouvelle/", missions.mission_create, name="mission_create"),
    path("vie/missions/<int:pk>/", missions.mission_detail, name="mission_detail"),
    path("vie/missions/<int:pk>/modifier/", missions.mission_edit, name="mission_edit"),
    path("vie/missions/<int:pk>/prolonger/", missions.mission_extend, name="mission_extend"),
    path("vie/missions/<int:pk>/issue/", missions.mission_outcome, name="mission_outcome"),
    path("vie/sensibilisation/", awareness.session_list, name="awareness"),
    path("vie/sensibilisation/nouvelle/", awareness.session_create, name="awareness_create"),
    path("vie/sensibilisation/<int:pk>/modifier/", awareness.session_edit, name="awareness_edit"),
    path("vie/chiffres/", figures.figures, name="figures"),
]

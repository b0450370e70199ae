# plan editing pages (helper E); exposes `urlpatterns` (a list of django.urls.path)
urlpatterns: list = []

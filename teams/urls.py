from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("documents/<int:pk>/review/", views.review, name="review"),
    path("documents/<int:pk>/review/accept/", views.accept, name="accept"),
    path("documents/<int:pk>/review/remove/", views.remove_gold, name="remove-gold"),
    path("documents/<int:pk>/history/", views.history, name="history"),
    path("documents/<int:pk>/history/revert/", views.revert, name="revert"),
    path("corpora/<slug:slug>/agreement/", views.agreement, name="agreement"),
]

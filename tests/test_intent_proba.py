"""The intent model's probabilities, computed without scikit-learn's per-calibrator checks, are
scikit-learn's own."""
import numpy as np
import pytest
from scipy.sparse import csr_matrix
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

from nlu.model import calibrated_proba


@pytest.mark.parametrize("classes", [2, 4, 7])
def test_same_probabilities_as_scikit_learn(classes):
    rng = np.random.default_rng(classes)
    X = rng.normal(size=(30 * classes, 12))
    X[X < 0.4] = 0.0  # sparse, like the n-gram features
    y = np.repeat(np.arange(classes), 30)
    X[np.arange(len(y)), y] += 2.0
    features = csr_matrix(X)
    model = CalibratedClassifierCV(LogisticRegression(max_iter=500), method="sigmoid", cv=3).fit(features, y)
    fresh = csr_matrix(rng.normal(size=(25, 12)))
    assert np.allclose(calibrated_proba(model, fresh), model.predict_proba(fresh), atol=1e-12)

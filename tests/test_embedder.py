"""The embedder batches texts of similar length together; each text keeps its own vector and place."""

import numpy as np


def test_a_batch_gives_each_text_the_vector_it_gets_alone(embedder):
    texts = [
        "Thủ tục đăng ký khai sinh: tờ khai theo mẫu, giấy chứng sinh; trường hợp không có giấy chứng sinh "
        "thì nộp văn bản của người làm chứng xác nhận về việc sinh; thời hạn giải quyết ngay trong ngày.",
        "lệ phí",
        "đăng ký thường trú cần giấy tờ gì",
        "",
        "cấp đổi giấy chứng nhận quyền sử dụng đất",
    ]
    together = embedder.encode_passages(texts)
    alone = np.vstack([embedder.encode_passages([t]) for t in texts])
    assert together.shape == (len(texts), embedder.dimension)
    assert np.allclose(together, alone, atol=1e-4)
    # and the texts are told apart: each vector is nearest to its own text's
    assert (np.argmax(together @ alone.T, axis=1) == np.arange(len(texts))).all()
    assert embedder.encode_passages([]).shape == (0, embedder.dimension)
